// Package cache keeps what changes rarely and every page reads (a municipality and its settings,
// its operating messages) in the process for a short while. Several servers stay correct because
// an entry lives at most its lifetime; the server that makes a change forgets the entry at once.
package cache

import (
	"sync"
	"time"
)

// TTL is a map whose entries expire a fixed time after they were loaded.
type TTL[K comparable, V any] struct {
	life time.Duration
	now  func() time.Time
	mu   sync.Mutex
	m    map[K]entry[V]
}

type entry[V any] struct {
	v       V
	expires time.Time
}

// New returns a cache whose entries live for life.
func New[K comparable, V any](life time.Duration) *TTL[K, V] {
	return &TTL[K, V]{life: life, now: time.Now, m: map[K]entry[V]{}}
}

// Get returns the entry for k, loading it when it is missing or expired. A failed load is not
// kept. Two requests that miss at once both load; the last one's value stays.
func (c *TTL[K, V]) Get(k K, load func() (V, error)) (V, error) {
	now := c.now()
	c.mu.Lock()
	e, ok := c.m[k]
	c.mu.Unlock()
	if ok && now.Before(e.expires) {
		return e.v, nil
	}
	v, err := load()
	if err != nil {
		return v, err
	}
	c.mu.Lock()
	if len(c.m) > 10_000 { // many hosts or tenants: start again rather than grow without bound
		clear(c.m)
	}
	c.m[k] = entry[V]{v: v, expires: now.Add(c.life)}
	c.mu.Unlock()
	return v, nil
}

// Clear forgets every entry, after a change that any of them may hold.
func (c *TTL[K, V]) Clear() {
	c.mu.Lock()
	clear(c.m)
	c.mu.Unlock()
}
