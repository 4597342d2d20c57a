//! cloud (being written)
