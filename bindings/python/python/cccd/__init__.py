"""Read and verify the chip of Vietnamese citizen ID cards (CCCD 2021, Căn cước 2024).

    import cccd
    trust = cccd.TrustStore()
    trust.add_csca("csca.pem")
    report = cccd.verify("dump/", trust)
    print(report.verdict)          # verified / not_verified / inconclusive

Verification and card reads release the GIL: run them on a thread pool to use every core.
Errors are subclasses of `cccd.CccdError`: `BadInput`, `AccessDenied`, `CardRemoved`,
`ReaderError`, `CardError`, `InternalError` (and `OSError` when saving a dump fails).
"""

from ._cccd import (
    AccessDenied,
    BadInput,
    CardError,
    CardRemoved,
    CccdError,
    Check,
    Document,
    InternalError,
    ReaderError,
    Report,
    TrustStore,
    __version__,
    decode_qr_image,
    parse_qr,
    read_card,
    verify,
)

__all__ = [
    "AccessDenied",
    "BadInput",
    "CardError",
    "CardRemoved",
    "CccdError",
    "Check",
    "Document",
    "InternalError",
    "ReaderError",
    "Report",
    "TrustStore",
    "__version__",
    "decode_qr_image",
    "parse_qr",
    "read_card",
    "verify",
]
