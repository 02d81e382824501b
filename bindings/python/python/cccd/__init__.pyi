"""Type stubs for cccd (the extension module cccd._cccd)."""

import datetime
import os
from typing import Any, Callable, Dict, List, Literal, Mapping, Optional, Sequence, TypedDict, Union

__version__: str

StrPath = Union[str, "os.PathLike[str]"]
Verdict = Literal["verified", "not_verified", "inconclusive"]
Status = Literal["pass", "fail", "skip", "warn"]

class CccdError(Exception):
    """Base class of every cccd error."""

class BadInput(CccdError):
    """An argument, file, dump, QR text or trust material is not what it must be."""

class AccessDenied(CccdError):
    """The chip refused every key given (a wrong CAN, MRZ or QR)."""

class CardRemoved(CccdError):
    """The card left the reader during the read; present it again and retry."""

class ReaderError(CccdError):
    """No reader, no card, the card in use by another program, or no smart-card service."""

class CardError(CccdError):
    """The chip answered in a way the protocol does not allow."""

class InternalError(CccdError):
    """A bug in cccd; please report it."""

class Claims(TypedDict, total=False):
    id_number: str
    full_name: str
    date_of_birth: Union[str, datetime.date]
    sex: str

class Policy(TypedDict, total=False):
    trust_recorded_chip_auth: bool
    require: Sequence[str]
    waive: Sequence[str]

class Identity(TypedDict):
    id_number: Optional[str]
    full_name: Optional[str]
    date_of_birth: Optional[str]
    sex: Optional[Literal["male", "female"]]
    date_of_expiry: Optional[str]
    no_expiry: bool
    issuing_state: Optional[str]
    card_generation: Literal["cccd_2021", "can_cuoc_2024", "unknown"]

class TrustStore:
    """CSCA certificates, CRLs and master lists; share it between threads freely."""
    def __init__(self) -> None: ...
    def add_csca(self, source: Union[StrPath, bytes]) -> int:
        """Add CSCA certificates (PEM, PEM bundle, DER; a file, a folder or bytes)."""
    def add_crl(self, source: Union[StrPath, bytes]) -> int:
        """Add CRLs (PEM or DER); add the CSCAs first."""
    def add_masterlist(self, source: Union[StrPath, bytes]) -> int:
        """Add the CSCAs of one ICAO master list whose signature verifies."""
    def __len__(self) -> int: ...

class Document:
    """A card's files as read."""
    @staticmethod
    def load(path: StrPath) -> Document:
        """Load a dump folder."""
    @staticmethod
    def from_files(files: Mapping[str, bytes]) -> Document:
        """Build a document from file names and bytes (an upload)."""
    def save(self, path: StrPath) -> None:
        """Write the dump to a new folder, atomically, files 0600 (OSError on failure)."""
    @property
    def files(self) -> Dict[str, bytes]: ...
    @property
    def provenance(self) -> Literal["read_here", "dump"]: ...
    @property
    def access(self) -> Optional[str]: ...
    @property
    def reader(self) -> Optional[str]: ...
    def __len__(self) -> int: ...

class Check:
    """One check and its outcome."""
    @property
    def name(self) -> str: ...
    @property
    def status(self) -> Status: ...
    @property
    def reason(self) -> str: ...

class Report:
    """The outcome of verify()."""
    @property
    def verdict(self) -> Verdict: ...
    @property
    def provenance(self) -> Literal["read_here", "dump"]: ...
    @property
    def unproven(self) -> List[str]: ...
    @property
    def checks(self) -> List[Check]: ...
    @property
    def failures(self) -> List[str]: ...
    @property
    def identity(self) -> Identity: ...
    def check(self, name: str) -> Optional[Check]: ...
    def to_json(self, indent: Optional[int] = None) -> str:
        """The library's JSON report (the CLI's report schema)."""

def verify(
    files: Union[Document, Mapping[str, bytes], StrPath],
    trust: TrustStore,
    *,
    claims: Optional[Claims] = None,
    qr: Optional[str] = None,
    aa_challenge: Union[bytes, str, None] = None,
    at: Union[datetime.datetime, datetime.date, str, None] = None,
    policy: Optional[Policy] = None,
    ignore_diacritics: bool = False,
) -> Report:
    """Verify a card's files against `trust`; releases the GIL."""

def read_card(
    reader: Optional[str] = None,
    *,
    can: Optional[str] = None,
    qr: Optional[str] = None,
    mrz: Optional[str] = None,
    face: bool = False,
    progress: Optional[Callable[[str, int, int], Any]] = None,
    wait: float = 30.0,
) -> Document:
    """Read the card in a PC/SC reader; releases the GIL while reading."""

def parse_qr(text: str) -> Dict[str, Any]:
    """Parse the text of a card's QR code."""

def decode_qr_image(image: bytes) -> List[str]:
    """The texts of the QR codes in a PNG or JPEG picture."""
