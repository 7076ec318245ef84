//! Neural-network pieces built purely from autograd ops.
