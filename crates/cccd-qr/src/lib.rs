//! cccd-qr
