//! `Store`: the live sessions by id, the least recently used evicted to keep their number and
//! their memory bounded.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use super::session::Session;

/// A session shared between requests, with the flag that tells its streams it was evicted.
#[derive(Clone)]
pub struct Shared {
    /// The session; requests take turns.
    pub session: Arc<Mutex<Session>>,
    /// Set when the store drops the session, so that a stream still training it stops.
    pub evicted: Arc<AtomicBool>,
    /// Bumped by each new stream of the session, so that an older one stops.
    pub stream_generation: Arc<AtomicU64>,
}

impl Shared {
    /// The session, locked; a lock poisoned by a panic elsewhere is taken over (the session
    /// holds no invariant that a panic in the middle of a request could break).
    pub fn lock(&self) -> MutexGuard<'_, Session> {
        self.session
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

struct Entry {
    shared: Shared,
    bytes: u128,
    last_used: u64,
}

/// The sessions, at most `max_sessions` of them holding at most `max_bytes` together (by their
/// own estimates); adding one evicts the least recently used until both bounds hold.
pub struct Store {
    entries: Mutex<Inner>,
    max_sessions: usize,
    max_bytes: u128,
}

struct Inner {
    by_id: HashMap<String, Entry>,
    clock: u64,
    created: u64,
}

impl Store {
    /// An empty store with these bounds.
    pub fn new(max_sessions: usize, max_bytes: u128) -> Store {
        Store {
            entries: Mutex::new(Inner {
                by_id: HashMap::new(),
                clock: 0,
                created: 0,
            }),
            max_sessions: max_sessions.max(1),
            max_bytes,
        }
    }

    fn inner(&self) -> MutexGuard<'_, Inner> {
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Adds `session` under a new id, evicting the least recently used sessions as the bounds
    /// need (never the new one), and returns the id.
    pub fn insert(&self, session: Session) -> String {
        let bytes = session.memory_estimate();
        let mut inner = self.inner();
        inner.created += 1;
        inner.clock += 1;
        let id = format!("{:x}{:04x}", inner.created, random_suffix());
        let shared = Shared {
            session: Arc::new(Mutex::new(session)),
            evicted: Arc::new(AtomicBool::new(false)),
            stream_generation: Arc::new(AtomicU64::new(0)),
        };
        let last_used = inner.clock;
        inner.by_id.insert(
            id.clone(),
            Entry {
                shared,
                bytes,
                last_used,
            },
        );
        loop {
            let total: u128 = inner.by_id.values().map(|entry| entry.bytes).sum();
            if inner.by_id.len() <= self.max_sessions && total <= self.max_bytes {
                break;
            }
            let oldest = inner
                .by_id
                .iter()
                .filter(|(key, _)| **key != id)
                .min_by_key(|(_, entry)| entry.last_used)
                .map(|(key, _)| key.clone());
            let Some(oldest) = oldest else { break };
            if let Some(entry) = inner.by_id.remove(&oldest) {
                entry.shared.evicted.store(true, Ordering::Relaxed);
            }
        }
        id
    }

    /// The session `id`, marked as just used; `None` when there is none (never created, or
    /// evicted).
    pub fn get(&self, id: &str) -> Option<Shared> {
        let mut inner = self.inner();
        inner.clock += 1;
        let now = inner.clock;
        let entry = inner.by_id.get_mut(id)?;
        entry.last_used = now;
        Some(entry.shared.clone())
    }

    /// The number of sessions held.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.inner().by_id.len()
    }
}

/// A few bits that differ between runs of the server, so that ids from an earlier run are not
/// mistaken for this one's sessions.
fn random_suffix() -> u64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u8(0);
    hasher.finish() & 0xffff
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serve::config::RunConfig;

    fn small_session() -> Session {
        let config = RunConfig::from_json(&serde_json::json!({"data": {"n": 20}})).unwrap();
        Session::new(config).unwrap()
    }

    #[test]
    fn the_least_recently_used_session_is_evicted_first() {
        let store = Store::new(2, u128::MAX);
        let first = store.insert(small_session());
        let second = store.insert(small_session());
        assert!(store.get(&first).is_some());
        let evicted = store.get(&second).unwrap().evicted.clone();
        store.get(&first);
        let third = store.insert(small_session());
        assert_eq!(store.len(), 2);
        assert!(store.get(&second).is_none());
        assert!(evicted.load(Ordering::Relaxed));
        assert!(store.get(&first).is_some() && store.get(&third).is_some());
    }

    #[test]
    fn the_memory_bound_evicts_too_but_keeps_the_new_session() {
        let bytes = small_session().memory_estimate();
        let store = Store::new(100, 2 * bytes);
        let ids: Vec<String> = (0..4).map(|_| store.insert(small_session())).collect();
        assert_eq!(store.len(), 2);
        assert!(store.get(&ids[3]).is_some());
        let lone = Store::new(100, 1);
        let id = lone.insert(small_session());
        assert!(lone.get(&id).is_some());
    }
}
