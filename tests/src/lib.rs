//! Shared strategies for the property tests.
