//! request (being written)
