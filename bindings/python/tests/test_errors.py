"""Bad input raises the exception of its kind, naming what was wrong."""

import os

import pytest

import cccd
from conftest import REFERENCE_DAY, TESTDATA, valid_cards


def test_exception_hierarchy():
    for exc in (cccd.BadInput, cccd.AccessDenied, cccd.CardRemoved, cccd.ReaderError, cccd.CardError, cccd.InternalError):
        assert issubclass(exc, cccd.CccdError) and issubclass(exc, Exception)


def test_bad_dumps(trust, tmp_path):
    with pytest.raises(cccd.BadInput, match="/no/such/dump"):
        cccd.verify("/no/such/dump", trust)
    with pytest.raises(cccd.BadInput, match="no card files"):
        cccd.verify({"README": b"hello"}, trust)
    with pytest.raises(cccd.BadInput, match="not bytes"):
        cccd.verify({"EF.SOD": "text"}, trust)
    with pytest.raises(cccd.BadInput, match="both hold"):
        cccd.verify({"DG1": b"a", "DG1.bin": b"b"}, trust)
    with pytest.raises(cccd.BadInput, match="larger than any chip file"):
        cccd.Document.from_files({"EF.SOD": bytes(4 * 1024 * 1024 + 1)})
    with pytest.raises(cccd.BadInput):
        cccd.verify(42, trust)
    (tmp_path / "EF.SOD").write_bytes(b"\x77\x00")
    report = cccd.verify(tmp_path, trust, at=REFERENCE_DAY)
    assert report.verdict == "not_verified"


def test_bad_options(trust):
    folder = TESTDATA / valid_cards()[0]["dir"]
    with pytest.raises(cccd.BadInput, match="^qr:"):
        cccd.verify(folder, trust, qr="not a card qr")
    with pytest.raises(cccd.BadInput, match="aa_challenge"):
        cccd.verify(folder, trust, aa_challenge="0102")
    with pytest.raises(cccd.BadInput, match="aa_challenge"):
        cccd.verify(folder, trust, aa_challenge=b"short")
    with pytest.raises(cccd.BadInput, match="not a date"):
        cccd.verify(folder, trust, at="2025-02-30")
    with pytest.raises(cccd.BadInput, match="not a date"):
        cccd.verify(folder, trust, claims={"date_of_birth": "30/02/1990"})
    with pytest.raises(cccd.BadInput, match="unknown key 'name'"):
        cccd.verify(folder, trust, claims={"name": "X"})
    with pytest.raises(cccd.BadInput, match="sex"):
        cccd.verify(folder, trust, claims={"sex": "x"})
    with pytest.raises(cccd.BadInput, match="policy"):
        cccd.verify(folder, trust, policy={"require": ["no.such.check"]})
    with pytest.raises(cccd.BadInput, match="unknown key"):
        cccd.verify(folder, trust, policy={"strict": True})


def test_bad_trust_material():
    store = cccd.TrustStore()
    with pytest.raises(cccd.BadInput, match="/no/such/csca.pem"):
        store.add_csca("/no/such/csca.pem")
    with pytest.raises(cccd.BadInput):
        store.add_csca(b"garbage")
    with pytest.raises(cccd.BadInput, match="is not a CRL"):
        store.add_crl(TESTDATA / "pki/csca-ec.crt.pem")
    with pytest.raises(cccd.BadInput):
        store.add_masterlist(TESTDATA / "pki/csca-ec.crt.pem")
    with pytest.raises(cccd.BadInput):
        store.add_csca(12)
    assert len(store) == 0
    assert store.add_csca((TESTDATA / "pki/csca-ec.crt.pem").read_bytes()) == 1
    assert len(store) == 1


def test_bad_keys_and_missing_reader():
    with pytest.raises(cccd.BadInput, match="give a key"):
        cccd.read_card()
    with pytest.raises(cccd.BadInput, match="^can:"):
        cccd.read_card(can="12ab")
    with pytest.raises(cccd.BadInput, match="one key"):
        cccd.read_card(can="123456", qr="x")
    with pytest.raises(cccd.BadInput, match="^qr:"):
        cccd.read_card(qr="not a qr")
    with pytest.raises(cccd.BadInput, match="wait"):
        cccd.read_card(can="123456", wait=-1)
    with pytest.raises(cccd.ReaderError):
        cccd.read_card("No Such Reader 99", can="123456", wait=0.2)


def test_save_refuses_an_existing_folder(tmp_path):
    doc = cccd.Document.load(TESTDATA / valid_cards()[0]["dir"])
    with pytest.raises(OSError, match="already exists"):
        doc.save(tmp_path)
    out = tmp_path / "dump"
    doc.save(out)
    assert oct(os.stat(out).st_mode & 0o777) == oct(0o700)
    for f in out.iterdir():
        assert oct(os.stat(f).st_mode & 0o777) == oct(0o600), f
    assert cccd.Document.load(out).files == doc.files
