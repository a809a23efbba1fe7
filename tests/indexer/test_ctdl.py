"""CTDL pathway graphs read as pathway definitions, alone and in an indexer run."""

import json

import pytest

from indexer.ctdl import is_ctdl_pathway, pathway_from_ctdl
from indexer.errors import InputRejected
from indexer.inputs import record_kind
from indexer.pipeline import run_index
from skillbeacon.store.candidates import get_candidate
from skillbeacon.store.pathways import load_pathways
from tests.indexer.profiles import achievement, profile, signed_badge, write_json

COMPTIA = "profiles/ctdl_pathway_comptia_it_networking_specialist.jsonld"
ILLINOIS = "profiles/ctdl_pathway_illinois_programming_software_dev.json"
PROGRESSION_MODEL = "profiles/ctdl_progression_model_comptia_it.json"
COMPTIA_ID = "ce-cc62e516-f95d-4306-a11a-c0ecc39d835f"


def read(shared_data, relative_path):
    return json.loads((shared_data / relative_path).read_text(encoding="utf-8"))


def component(node_id, name, node_type="ceterms:Certification", **terms):
    return {"@id": node_id, "@type": node_type, "ceterms:name": name, **terms}


def graph(*nodes):
    return {
        "@context": "https://credreg.net/ctdl/schema/context/json",
        "@graph": list(nodes),
    }


PATHWAY_NODE = {
    "@id": "https://example.test/resources/ce-0001",
    "@type": "ceterms:Pathway",
    "ceterms:ctid": "ce-0001",
    "ceterms:name": {"en-US": "Test Pathway"},
}


def test_ctdl_detection_of_shared_files(shared_data):
    assert is_ctdl_pathway(read(shared_data, COMPTIA))
    assert is_ctdl_pathway(read(shared_data, ILLINOIS))
    assert not is_ctdl_pathway(read(shared_data, PROGRESSION_MODEL))
    assert record_kind(read(shared_data, COMPTIA)) == "ctdl_pathway"
    assert record_kind(read(shared_data, ILLINOIS)) == "ctdl_pathway"
    assert record_kind(read(shared_data, PROGRESSION_MODEL)) == "unknown"


def test_ctdl_detection_ignores_other_documents():
    assert not is_ctdl_pathway({"type": "PathwayDefinition"})
    assert not is_ctdl_pathway({"type": ["VerifiableCredential"]})
    assert not is_ctdl_pathway({"@graph": "not a list"})
    assert not is_ctdl_pathway([PATHWAY_NODE])
    assert is_ctdl_pathway(PATHWAY_NODE)


def test_ctdl_comptia_pathway_header(shared_data):
    pathway = pathway_from_ctdl(read(shared_data, COMPTIA))

    assert pathway.pathway_id == COMPTIA_ID
    assert pathway.name == "IT Networking Specialist Pathway"
    assert pathway.target_role == "IT Networking Specialist"
    assert pathway.target_occupation_codes == []


def test_ctdl_comptia_steps_entry_to_advanced(shared_data):
    pathway = pathway_from_ctdl(read(shared_data, COMPTIA))

    names = [step.name for step in pathway.steps]
    # Each certification requires the one below it (hasChild, hasCondition),
    # from A+ at the entry level to Cloud+ at the advanced level.
    assert names == [
        "CompTIA A+",
        "CompTIA Network+",
        "CompTIA Security+",
        "CompTIA Project+",
        "CompTIA Cloud Essentials+",
        "CompTIA Linux+",
        "CompTIA Server+",
        "CompTIA Cloud+",
    ]
    assert "IT Networking Specialist" not in names
    assert pathway.steps[0].step_id == "ce-b040010e-06b4-4d2f-8e16-7fcf3408ebf7"
    assert len({step.step_id for step in pathway.steps}) == len(pathway.steps)


def test_ctdl_comptia_achievement_name_variants(shared_data):
    pathway = pathway_from_ctdl(read(shared_data, COMPTIA))
    first = pathway.steps[0]

    assert first.achievements[:2] == ["CompTIA A+", "A+"]
    assert (
        "https://credentialengineregistry.org/resources/"
        "ce-b040010e-06b4-4d2f-8e16-7fcf3408ebf7" in first.achievements
    )
    essentials = next(s for s in pathway.steps if "Essentials" in s.name)
    assert essentials.name == "CompTIA Cloud Essentials+"
    assert "Cloud Essentials+" in essentials.achievements


def test_ctdl_conversion_is_stable(shared_data):
    first = pathway_from_ctdl(read(shared_data, ILLINOIS))
    second = pathway_from_ctdl(read(shared_data, ILLINOIS))

    assert first == second


def test_ctdl_illinois_pathway_header(shared_data):
    pathway = pathway_from_ctdl(read(shared_data, ILLINOIS))

    assert pathway.pathway_id == (
        "IllinoisIllinoisExamplePathways.org-paths-e9a210a8-a77c-41af-b594-4543ef4c2b08"
    )
    assert pathway.name == (
        "Illinois Education and Career Pathway: Programming and Software Development"
    )
    assert pathway.target_role == "Programming and Software Development"
    assert pathway.target_occupation_codes == [
        "http://apps.il-work-net.com/cis/clusters/occupationdetails/100045?parentid=111100",
        "http://apps.il-work-net.com/cis/clusters/occupationdetails/100057?parentid=111100",
        "http://apps.il-work-net.com/cis/clusters/occupationdetails/100044?parentid=111100",
    ]


def test_ctdl_illinois_steps_by_level_then_document(shared_data):
    data = read(shared_data, ILLINOIS)
    pathway = pathway_from_ctdl(data)

    # The 36 courses, certifications and assessments are steps. The root is
    # the destination.
    assert len(pathway.steps) == 36
    names = [step.name for step in pathway.steps]
    assert "Programming and Software Development" not in names
    assert names[:2] == [
        "Business and Technology Concepts",
        "Computer Concepts and Software Applications",
    ]
    assert names[-1] == "Web/Multimedia Management and Webmaster"
    assert names.index("Computer Operations and Programming I") < names.index(
        "Computer Operations and Programming II"
    )
    # CompTIA A+ is listed at levels 1 and 2 and sorts with level 1.
    assert names.index("CompTIA A+") < names.index(
        "Computer Operations and Programming I"
    )
    assert names.index("COMPASS") < names.index("Artificial Intelligence and Robotics")


def test_ctdl_illinois_achievement_name_variants(shared_data):
    steps = {s.name: s for s in pathway_from_ctdl(read(shared_data, ILLINOIS)).steps}

    assert "A+" in steps["CompTIA A+"].achievements
    assert "IT Fundamentals" in steps["CompTIA IT Fundamentals"].achievements
    mta = steps['Microsoft Technology Associate ("MTA")'].achievements
    assert "MTA" in mta
    assert "Microsoft Technology Associate" in mta
    assert "IAI CS 911" in steps["Computer Science I"].achievements
    # Course names share first words too ("Computer ..."), but only
    # certification names lose a brand word.
    assert "Science" not in steps["Computer Science"].achievements
    assert "Reliability Engineer Certification" in steps


def test_ctdl_prerequisite_overrides_document_order():
    data = graph(
        PATHWAY_NODE,
        component(
            "urn:test:advanced",
            "Advanced Badge",
            "ceterms:CredentialComponent",
            **{
                "ceterms:hasCondition": [
                    {
                        "@type": "ceterms:ComponentCondition",
                        "ceterms:targetComponent": ["urn:test:entry"],
                    }
                ]
            },
        ),
        component("urn:test:entry", "Entry Badge", "ceterms:CredentialComponent"),
    )

    pathway = pathway_from_ctdl(data)

    assert [step.name for step in pathway.steps] == ["Entry Badge", "Advanced Badge"]
    assert pathway.target_role == "Test Pathway"


def test_ctdl_progression_levels_in_graph_order_steps():
    data = graph(
        PATHWAY_NODE,
        component(
            "urn:test:cloud",
            "Cloud Badge",
            **{"asn:hasProgressionLevel": "urn:test:level-advanced"},
        ),
        component(
            "urn:test:basics",
            "Basics Badge",
            **{"asn:hasProgressionLevel": "urn:test:level-entry"},
        ),
        {
            "@id": "urn:test:level-advanced",
            "@type": ["skos:Concept", "asn:ProgressionLevel"],
        },
        {
            "@id": "urn:test:level-entry",
            "@type": ["skos:Concept", "asn:ProgressionLevel"],
            "ceterms:precedes": "urn:test:level-advanced",
        },
    )

    pathway = pathway_from_ctdl(data)

    assert [step.name for step in pathway.steps] == ["Basics Badge", "Cloud Badge"]


def test_ctdl_onet_code_read_from_destination():
    destination = component(
        "urn:test:job",
        "Network Support Specialist",
        "ceterms:JobComponent",
        **{
            "ceterms:isDestinationComponentFor": PATHWAY_NODE["@id"],
            "ceterms:occupationType": [
                {
                    "@type": "ceterms:CredentialAlignmentObject",
                    "ceterms:codedNotation": "15-1231.00",
                },
                "https://www.onetonline.org/link/summary/15-1232.00",
            ],
        },
    )
    data = graph(PATHWAY_NODE, destination, component("urn:test:a", "Badge A"))

    pathway = pathway_from_ctdl(data)

    assert pathway.target_role == "Network Support Specialist"
    assert pathway.target_occupation_codes == ["15-1231.00", "15-1232.00"]
    assert [step.name for step in pathway.steps] == ["Badge A"]


def test_ctdl_rejects_graph_without_pathway():
    data = graph(component("urn:test:a", "Badge A", "ceterms:BasicComponent"))

    assert is_ctdl_pathway(data)
    with pytest.raises(InputRejected, match="no Pathway node"):
        pathway_from_ctdl(data)


def test_ctdl_rejects_pathway_without_components():
    with pytest.raises(InputRejected, match="ce-0001 has no components"):
        pathway_from_ctdl(graph(PATHWAY_NODE))


def test_ctdl_rejects_only_a_career_destination():
    destination = component(
        "urn:test:career",
        "Career",
        "ceterms:BasicComponent",
        **{"ceterms:isDestinationComponentFor": PATHWAY_NODE["@id"]},
    )

    with pytest.raises(InputRejected, match="only its destination component"):
        pathway_from_ctdl(graph(PATHWAY_NODE, destination))


def test_ctdl_rejects_two_pathways():
    other = {**PATHWAY_NODE, "@id": "urn:test:other", "ceterms:ctid": "ce-0002"}

    with pytest.raises(InputRejected, match="2 Pathway nodes"):
        pathway_from_ctdl(graph(PATHWAY_NODE, other, component("urn:a", "Badge A")))


def test_ctdl_rejects_component_without_name():
    nameless = {"@id": "urn:test:nameless", "@type": "ceterms:CourseComponent"}

    with pytest.raises(InputRejected, match="urn:test:nameless has no name"):
        pathway_from_ctdl(graph(PATHWAY_NODE, nameless))


def test_ctdl_rejects_pathway_without_id():
    pathway = {"@type": "ceterms:Pathway", "ceterms:name": "No id"}

    with pytest.raises(InputRejected, match="no stable id"):
        pathway_from_ctdl(graph(pathway, component("urn:a", "Badge A")))


def test_ctdl_long_uri_gives_bounded_id():
    pathway = {
        "@id": "https://example.test/" + "segment/" * 30 + "pathway",
        "@type": "Pathway",
        "name": "Long id",
    }

    first = pathway_from_ctdl(graph(pathway, component("urn:a", "Badge A")))
    second = pathway_from_ctdl(graph(pathway, component("urn:a", "Badge A")))

    assert len(first.pathway_id) == 128
    assert first.pathway_id == second.pathway_id


def test_ctdl_rejects_too_many_components():
    components = [component(f"urn:test:{n}", f"Badge {n}") for n in range(101)]

    with pytest.raises(InputRejected, match="101 components"):
        pathway_from_ctdl(graph(PATHWAY_NODE, *components))


def test_pipeline_ctdl_pathway_progress(shared_data, tmp_path, settings, client):
    learner_id = "learner-ctdl"
    learner = profile(
        learner_id,
        pathways=[COMPTIA_ID],
        credentials=[
            signed_badge(learner_id, achievement("CompTIA A+")),
            # Named without the brand, as an issuer may name the badge.
            signed_badge(learner_id, achievement("Network+")),
        ],
    )
    report = run_index(
        [shared_data / COMPTIA, write_json(tmp_path / "learner.json", learner)],
        settings,
        client,
        show_progress=False,
    )

    assert report.rejected == []
    assert report.pathways == 1
    stored_ids = {p.pathway_id for p in load_pathways(client, settings)}
    assert COMPTIA_ID in stored_ids
    stored = get_candidate(client, settings, learner_id)
    progress = stored["pathways"][0]
    assert progress["pathway_id"] == COMPTIA_ID
    assert progress["target_role"] == "IT Networking Specialist"
    assert progress["steps_total"] == 8
    assert progress["steps_completed"] == 2
    assert progress["completed_step_ids"] == [
        "ce-b040010e-06b4-4d2f-8e16-7fcf3408ebf7",
        "ce-10e06c1d-00a9-45a4-93e5-ee777f3fe8e2",
    ]
    assert progress["progress"] == pytest.approx(2 / 8)


def test_pipeline_ctdl_rejection_is_reported(tmp_path, settings, client):
    path = write_json(tmp_path / "empty.jsonld", graph(PATHWAY_NODE))

    report = run_index([path], settings, client, show_progress=False)

    reasons = [r.reason for r in report.rejected]
    assert len(reasons) == 1
    assert "has no components" in reasons[0]
