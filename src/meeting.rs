//! Meeting pages and the meeting auto-set state machine (being written).
