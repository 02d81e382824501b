//! cccd-sim
