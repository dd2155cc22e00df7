"""Halyard Cloud's website as marketing tracks it: pages and their titles, forms, email campaign themes."""

from __future__ import annotations

# Website pages with a title per language; pages listed with one title are English only.
PAGES: tuple[tuple[str, dict[str, str]], ...] = (
    (
        "/",
        {
            "en": "Halyard Cloud - Customer operations, unified",
            "es": "Halyard Cloud - Operaciones de cliente unificadas",
            "fr": "Halyard Cloud - Des opérations client unifiées",
            "de": "Halyard Cloud - Kundenprozesse aus einer Hand",
            "it": "Halyard Cloud - Operazioni clienti unificate",
            "pt": "Halyard Cloud - Operações de clientes unificadas",
            "ja": "Halyard Cloud - 顧客業務をひとつに",
        },
    ),
    (
        "/pricing",
        {
            "en": "Pricing",
            "es": "Precios",
            "fr": "Tarifs",
            "de": "Preise",
            "it": "Prezzi",
            "pt": "Preços",
            "ja": "料金",
        },
    ),
    (
        "/demo",
        {
            "en": "Request a demo",
            "es": "Solicita una demo",
            "fr": "Demander une démo",
            "de": "Demo anfordern",
            "it": "Richiedi una demo",
            "pt": "Solicite uma demonstração",
            "ja": "デモを依頼",
        },
    ),
    (
        "/contact",
        {
            "en": "Contact sales",
            "es": "Contacta con ventas",
            "fr": "Contacter les ventes",
            "de": "Vertrieb kontaktieren",
            "it": "Contatta le vendite",
            "pt": "Fale com vendas",
            "ja": "営業へのお問い合わせ",
        },
    ),
    (
        "/customers",
        {
            "en": "Customer stories",
            "es": "Casos de clientes",
            "fr": "Témoignages clients",
            "de": "Kundenstimmen",
            "it": "Storie dei clienti",
            "pt": "Histórias de clientes",
            "ja": "導入事例",
        },
    ),
    ("/products/relay", {"en": "Halyard Relay - Shared inbox for support teams"}),
    ("/products/pipeline", {"en": "Halyard Pipeline - B2B pipeline management"}),
    ("/products/pulse", {"en": "Halyard Pulse - Dashboards and reports"}),
    ("/products/beacon", {"en": "Halyard Beacon - Forms, tracking and campaigns"}),
    ("/products/vault", {"en": "Halyard Vault - Customer data platform"}),
    ("/blog/first-response-time", {"en": "Five ways to halve your first response time"}),
    ("/blog/forecasting-without-spreadsheets", {"en": "Forecasting without spreadsheets"}),
    ("/blog/identity-resolution-101", {"en": "Identity resolution 101: one customer, many records"}),
    ("/docs/getting-started", {"en": "Getting started with Halyard Cloud"}),
    ("/docs/integrations/slack", {"en": "Slack integration"}),
    ("/webinars/ai-in-support", {"en": "Webinar: AI agents in customer support"}),
    ("/resources/state-of-support-2026", {"en": "Report: The state of customer support 2026"}),
    ("/trial", {"en": "Start your free trial"}),
)
PAGE_WEIGHTS = (14, 9, 4, 3, 3, 5, 5, 3, 4, 2, 4, 3, 2, 5, 2, 2, 2, 3)

FORMS = (
    "demo_request",
    "contact_sales",
    "pricing_quote",
    "webinar_registration",
    "whitepaper_download",
    "newsletter_signup",
    "free_trial_signup",
)
FORM_WEIGHTS = (0.2, 0.15, 0.08, 0.17, 0.2, 0.12, 0.08)

CAMPAIGN_THEMES = (
    "Monthly newsletter",
    "Relay product update",
    "Pipeline launch",
    "Pulse webinar invite",
    "Beacon trial nurture",
    "Vault security briefing",
    "Customer summit invite",
    "State of support report",
)
