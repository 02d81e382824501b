"""Shared fixtures: the sample cards of testdata/ and a trust store with their CSCAs."""

import json
import os
from pathlib import Path

import pytest

import cccd

TESTDATA = Path(os.environ.get("CCCD_TESTDATA", Path(__file__).resolve().parents[3] / "testdata"))
REFERENCE_DAY = "2025-06-01"


def manifest():
    return json.loads((TESTDATA / "manifest.json").read_text(encoding="utf-8"))


def cards():
    return manifest()["cards"]


@pytest.fixture(scope="session")
def trust():
    store = cccd.TrustStore()
    m = manifest()
    for anchor in m["trust_anchors"]:
        assert store.add_csca(TESTDATA / anchor) >= 1
    for crl in m["crls"]:
        assert store.add_crl(TESTDATA / crl) == 1
    return store


def valid_cards():
    return [c for c in cards() if c["expected_verdict"] == "verified"]
