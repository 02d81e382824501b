"""Read a card through pcscd and the virtual chip (`cccd simulate` on vpcd's second reader),
then verify it, save it and load it back. Needs pcscd with vpcd: run under
scripts/with-pcscd.sh (which sets CCCD_PCSC_AVAILABLE); with CCCD_REQUIRE_PCSC=1 a missing
pcscd fails instead of skipping."""

import os
import subprocess
import time

import pytest

import cccd
from conftest import REFERENCE_DAY, TESTDATA, valid_cards

READER = "Virtual PCD 00 01"

if not os.environ.get("CCCD_PCSC_AVAILABLE"):
    if os.environ.get("CCCD_REQUIRE_PCSC") == "1":
        raise RuntimeError("CCCD_REQUIRE_PCSC=1 but pcscd is not available (run under scripts/with-pcscd.sh)")
    pytest.skip("needs pcscd with vpcd (scripts/with-pcscd.sh)", allow_module_level=True)


@pytest.fixture
def simulated():
    """Serve the first valid sample card on the virtual reader for one test."""
    card = valid_cards()[0]
    sim = subprocess.Popen(
        [os.environ["CCCD_BIN"], "simulate", str(TESTDATA / card["dir"]), "--port", "35964"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        yield card
    finally:
        sim.kill()
        sim.wait()
        time.sleep(0.5)  # let pcscd see the card leave before the next test inserts one


def test_read_verify_save_load(simulated, trust, tmp_path):
    card = simulated
    seen = []
    doc = cccd.read_card(READER, can=card["can"], progress=lambda f, done, total: seen.append((f, done, total)), wait=10)
    assert doc.provenance == "read_here"
    assert doc.reader == READER
    assert "EF.SOD" in doc.files and "DG1" in doc.files and "DG2" not in doc.files
    files = {f for f, _, _ in seen}
    assert {"EF.SOD", "DG1"} <= files, seen
    assert all(0 < done <= total for _, done, total in seen)
    report = cccd.verify(doc, trust, at=REFERENCE_DAY)
    assert report.verdict == card["expected_verdict"], report
    assert report.provenance == "read_here"
    out = tmp_path / "dump"
    doc.save(out)
    assert oct(os.stat(out / "DG1").st_mode & 0o777) == oct(0o600)
    back = cccd.Document.load(out)
    assert back.files == doc.files and back.provenance == "dump"


def test_wrong_can_is_access_denied_and_qr_opens(simulated, trust):
    card = simulated
    wrong = "".join("0" if c == "9" else str(int(c) + 1) for c in card["can"])
    with pytest.raises(cccd.AccessDenied):
        cccd.read_card(READER, can=wrong, wait=10)
    doc = cccd.read_card(READER, qr=card["qr_text"], wait=10)
    assert cccd.verify(doc, trust, at=REFERENCE_DAY).verdict == card["expected_verdict"]


def test_progress_callback_errors_propagate(simulated):
    def boom(*_):
        raise ValueError("stop")

    with pytest.raises(ValueError, match="stop"):
        cccd.read_card(READER, can=simulated["can"], progress=boom, wait=10)
