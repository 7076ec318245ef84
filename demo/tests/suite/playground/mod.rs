//! `demo serve`'s HTTP contract, against a server started in this process on a free port, through
//! a small HTTP/1.1 client written here over `TcpStream` (no client library).

mod client;
mod endpoints;
mod load;
mod refusals;
mod reproduce;
