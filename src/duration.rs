//! duration (being written)
