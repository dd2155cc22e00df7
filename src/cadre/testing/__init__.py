"""Test doubles and throwaway servers shipped with Cadre, for its own tests and for users' tests."""
