"""Every sample dump reaches the verdict testdata/manifest.json gives, whichever way the files
arrive (folder path, dict of bytes, Document), and the report carries typed checks, the
identity and the library's JSON."""

import concurrent.futures
import json

import pytest

import cccd
from conftest import REFERENCE_DAY, TESTDATA, cards, valid_cards


def card_ids(card):
    return card["dir"].split("/")[-1]


def files_of(card):
    folder = TESTDATA / card["dir"]
    return {p.name: p.read_bytes() for p in folder.iterdir()}


@pytest.mark.parametrize("card", cards(), ids=card_ids)
def test_every_sample_reaches_the_manifest_verdict(card, trust):
    folder = TESTDATA / card["dir"]
    report = cccd.verify(folder, trust, aa_challenge=card["aa_challenge"], at=REFERENCE_DAY)
    assert report.verdict == card["expected_verdict"], report
    for name in card["failing_checks"]:
        assert name in report.failures, (name, report)
    assert report.provenance == "dump"
    # The same files in memory, and as a Document.
    in_memory = cccd.verify(files_of(card), trust, aa_challenge=bytes.fromhex(card["aa_challenge"]), at=REFERENCE_DAY)
    assert in_memory.to_json() == report.to_json()
    loaded = cccd.verify(cccd.Document.load(str(folder)), trust, aa_challenge=card["aa_challenge"], at=REFERENCE_DAY)
    assert loaded.verdict == report.verdict
    # Nothing proving the chip genuine to this verifier, and no trust anchors.
    alone = cccd.verify(folder, trust, at=REFERENCE_DAY)
    assert alone.verdict == card["expected_verdict_dump_alone"], alone
    bare = cccd.verify(folder, cccd.TrustStore(), aa_challenge=card["aa_challenge"], at=REFERENCE_DAY)
    assert bare.verdict == card["expected_verdict_without_trust_anchors"], bare


def test_report_has_typed_checks_identity_and_json(trust):
    card = valid_cards()[0]
    report = cccd.verify(TESTDATA / card["dir"], trust, aa_challenge=card["aa_challenge"], at=REFERENCE_DAY)
    assert report.verdict == "verified" and report.unproven == [] and report.failures == []
    names = [c.name for c in report.checks]
    assert "sod.signature" in names and "chip.authentication" in names
    assert all(c.status in ("pass", "fail", "skip", "warn") for c in report.checks)
    assert report.check("sod.signature").status == "pass"
    assert report.check("no.such.check") is None
    identity = report.identity
    assert identity["id_number"] == card["id_number"]
    assert identity["full_name"] == card["name"]
    assert identity["date_of_birth"] == card["dob"]
    assert identity["sex"] == {"M": "male", "F": "female"}[card["sex"]]
    doc = json.loads(report.to_json())
    assert doc["verdict"] == "verified"
    assert [c["name"] for c in doc["checks"]] == names
    assert json.loads(report.to_json(indent=2)) == doc


def test_claims_and_qr_pass_when_they_match_and_fail_when_not(trust):
    card, other = valid_cards()[0], valid_cards()[1]
    claims = {"id_number": card["id_number"], "full_name": card["name"], "date_of_birth": card["dob"], "sex": card["sex"]}
    ok = cccd.verify(TESTDATA / card["dir"], trust, claims=claims, qr=card["qr_text"], aa_challenge=card["aa_challenge"], at=REFERENCE_DAY)
    assert ok.verdict == "verified", ok
    for name in ("claim.id_number", "claim.name", "claim.dob", "claim.sex", "qr.matches.chip"):
        assert ok.check(name).status == "pass", name
    bad = cccd.verify(TESTDATA / card["dir"], trust, claims={"full_name": other["name"]}, qr=other["qr_text"], at=REFERENCE_DAY)
    assert bad.verdict == "not_verified"
    assert "claim.name" in bad.failures and "qr.matches.chip" in bad.failures


def test_policy_can_trust_the_recorded_chip_authentication(trust):
    card = valid_cards()[0]
    alone = cccd.verify(TESTDATA / card["dir"], trust, at=REFERENCE_DAY)
    assert alone.verdict == "inconclusive" and "chip.authentication" in alone.unproven
    trusted = cccd.verify(TESTDATA / card["dir"], trust, at=REFERENCE_DAY, policy={"trust_recorded_chip_auth": True})
    assert trusted.verdict == "verified", trusted


def test_qr_text_and_picture(trust):
    card = valid_cards()[0]
    data = cccd.parse_qr(card["qr_text"])
    assert data["id_number"] == card["id_number"]
    texts = cccd.decode_qr_image((TESTDATA / card["qr_png"]).read_bytes())
    assert card["qr_text"] in texts


def test_a_thread_pool_gives_the_same_verdicts(trust):
    jobs = [(c, files_of(c)) for c in cards()] * 2
    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda job: cccd.verify(job[1], trust, aa_challenge=job[0]["aa_challenge"], at=REFERENCE_DAY), jobs))
    for (card, _), report in zip(jobs, results):
        assert report.verdict == card["expected_verdict"], card["dir"]
