"""Where the sample company's customers and staff are: countries, real cities, time zones, sales teams."""

from __future__ import annotations

from dataclasses import dataclass

LANGUAGES = ("en", "es", "fr", "de", "it", "pt", "ja")
SALES_TEAMS = ("east", "west", "emea", "apac")


@dataclass(frozen=True)
class City:
    name: str
    time_zone: str
    team: str


@dataclass(frozen=True)
class Country:
    code: str
    language: str
    locale: str  # the Faker locale people here are named from
    dial_code: str
    trunk_prefix: str  # dialled before the national number inside the country
    groups: tuple[int, ...]  # how the national number is grouped when written
    currency: str
    weight: float
    cities: tuple[City, ...]

    @property
    def digits(self) -> int:
        return sum(self.groups)


def _cities(team: str, *pairs: tuple[str, str]) -> tuple[City, ...]:
    return tuple(City(name, zone, team) for name, zone in pairs)


COUNTRIES: tuple[Country, ...] = (
    Country(
        code="US",
        language="en",
        locale="en_US",
        dial_code="1",
        trunk_prefix="",
        groups=(3, 3, 4),
        currency="USD",
        weight=0.30,
        cities=_cities(
            "east",
            ("New York", "America/New_York"),
            ("Boston", "America/New_York"),
            ("Atlanta", "America/New_York"),
            ("Chicago", "America/Chicago"),
            ("Miami", "America/New_York"),
        )
        + _cities(
            "west",
            ("San Francisco", "America/Los_Angeles"),
            ("Seattle", "America/Los_Angeles"),
            ("Los Angeles", "America/Los_Angeles"),
            ("Denver", "America/Denver"),
            ("Austin", "America/Chicago"),
        ),
    ),
    Country(
        code="CA",
        language="en",
        locale="en_CA",
        dial_code="1",
        trunk_prefix="",
        groups=(3, 3, 4),
        currency="USD",
        weight=0.04,
        cities=_cities("east", ("Toronto", "America/Toronto"), ("Montreal", "America/Toronto"))
        + _cities("west", ("Vancouver", "America/Vancouver"), ("Calgary", "America/Edmonton")),
    ),
    Country(
        code="GB",
        language="en",
        locale="en_GB",
        dial_code="44",
        trunk_prefix="0",
        groups=(2, 4, 4),
        currency="GBP",
        weight=0.09,
        cities=_cities(
            "emea",
            ("London", "Europe/London"),
            ("Manchester", "Europe/London"),
            ("Edinburgh", "Europe/London"),
            ("Bristol", "Europe/London"),
        ),
    ),
    Country(
        code="AU",
        language="en",
        locale="en_AU",
        dial_code="61",
        trunk_prefix="0",
        groups=(1, 4, 4),
        currency="USD",
        weight=0.04,
        cities=_cities(
            "apac",
            ("Sydney", "Australia/Sydney"),
            ("Melbourne", "Australia/Melbourne"),
            ("Brisbane", "Australia/Brisbane"),
        ),
    ),
    Country(
        code="ES",
        language="es",
        locale="es_ES",
        dial_code="34",
        trunk_prefix="",
        groups=(3, 3, 3),
        currency="EUR",
        weight=0.07,
        cities=_cities(
            "emea",
            ("Madrid", "Europe/Madrid"),
            ("Barcelona", "Europe/Madrid"),
            ("Valencia", "Europe/Madrid"),
            ("Sevilla", "Europe/Madrid"),
            ("Bilbao", "Europe/Madrid"),
        ),
    ),
    Country(
        code="MX",
        language="es",
        locale="es_MX",
        dial_code="52",
        trunk_prefix="",
        groups=(2, 4, 4),
        currency="USD",
        weight=0.04,
        cities=_cities(
            "west",
            ("Ciudad de México", "America/Mexico_City"),
            ("Guadalajara", "America/Mexico_City"),
            ("Monterrey", "America/Monterrey"),
        ),
    ),
    Country(
        code="FR",
        language="fr",
        locale="fr_FR",
        dial_code="33",
        trunk_prefix="0",
        groups=(1, 2, 2, 2, 2),
        currency="EUR",
        weight=0.09,
        cities=_cities(
            "emea",
            ("Paris", "Europe/Paris"),
            ("Lyon", "Europe/Paris"),
            ("Marseille", "Europe/Paris"),
            ("Toulouse", "Europe/Paris"),
            ("Lille", "Europe/Paris"),
            ("Nantes", "Europe/Paris"),
        ),
    ),
    Country(
        code="DE",
        language="de",
        locale="de_DE",
        dial_code="49",
        trunk_prefix="0",
        groups=(2, 8),
        currency="EUR",
        weight=0.11,
        cities=_cities(
            "emea",
            ("Berlin", "Europe/Berlin"),
            ("München", "Europe/Berlin"),
            ("Hamburg", "Europe/Berlin"),
            ("Frankfurt am Main", "Europe/Berlin"),
            ("Köln", "Europe/Berlin"),
            ("Stuttgart", "Europe/Berlin"),
        ),
    ),
    Country(
        code="AT",
        language="de",
        locale="de_AT",
        dial_code="43",
        trunk_prefix="0",
        groups=(1, 8),
        currency="EUR",
        weight=0.02,
        cities=_cities("emea", ("Wien", "Europe/Vienna"), ("Graz", "Europe/Vienna"), ("Linz", "Europe/Vienna")),
    ),
    Country(
        code="IT",
        language="it",
        locale="it_IT",
        dial_code="39",
        trunk_prefix="",
        groups=(2, 4, 4),
        currency="EUR",
        weight=0.06,
        cities=_cities(
            "emea",
            ("Milano", "Europe/Rome"),
            ("Roma", "Europe/Rome"),
            ("Torino", "Europe/Rome"),
            ("Bologna", "Europe/Rome"),
            ("Napoli", "Europe/Rome"),
        ),
    ),
    Country(
        code="BR",
        language="pt",
        locale="pt_BR",
        dial_code="55",
        trunk_prefix="0",
        groups=(2, 5, 4),
        currency="BRL",
        weight=0.06,
        cities=_cities(
            "east",
            ("São Paulo", "America/Sao_Paulo"),
            ("Rio de Janeiro", "America/Sao_Paulo"),
            ("Belo Horizonte", "America/Sao_Paulo"),
            ("Curitiba", "America/Sao_Paulo"),
            ("Porto Alegre", "America/Sao_Paulo"),
        ),
    ),
    Country(
        code="PT",
        language="pt",
        locale="pt_PT",
        dial_code="351",
        trunk_prefix="",
        groups=(3, 3, 3),
        currency="EUR",
        weight=0.02,
        cities=_cities("emea", ("Lisboa", "Europe/Lisbon"), ("Porto", "Europe/Lisbon"), ("Braga", "Europe/Lisbon")),
    ),
    Country(
        code="JP",
        language="ja",
        locale="ja_JP",
        dial_code="81",
        trunk_prefix="0",
        groups=(2, 4, 4),
        currency="JPY",
        weight=0.06,
        cities=_cities(
            "apac",
            ("Tokyo", "Asia/Tokyo"),
            ("Osaka", "Asia/Tokyo"),
            ("Yokohama", "Asia/Tokyo"),
            ("Nagoya", "Asia/Tokyo"),
            ("Fukuoka", "Asia/Tokyo"),
        ),
    ),
)

COUNTRY_WEIGHTS = tuple(country.weight for country in COUNTRIES)
