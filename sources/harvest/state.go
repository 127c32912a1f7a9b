package harvest

import (
	"context"
	"iter"
	"net/url"
	"slices"
	"strings"
	"sync"

	"gongkai/sources/config"
	"gongkai/store"
)

// fetchMemory is what a source's sweep knows of its requests: the fetch
// states and list signatures as they were when the sweep began, kept up to
// date with what the sweep commits. The walk and the detail workers read
// it, never the store (as Prometheus' scrape loop keeps its own memory and
// only appends).
type fetchMemory struct {
	mu     sync.Mutex
	states map[string]store.FetchState // by stateKey
	sigs   map[string]string           // list signature by entry URL
}

// loadFetchMemory reads the fetch states and list signatures of every URL
// under the prefixes.
func loadFetchMemory(ctx context.Context, st store.Store, prefixes []string) (*fetchMemory, error) {
	states, err := st.FetchStates(ctx, prefixes)
	if err != nil {
		return nil, err
	}
	entries, err := st.ListEntries(ctx, prefixes)
	if err != nil {
		return nil, err
	}
	m := &fetchMemory{states: make(map[string]store.FetchState, len(states)), sigs: make(map[string]string, len(entries))}
	for _, s := range states {
		m.states[stateKey(s.URL, s.Form)] = s
	}
	for _, e := range entries {
		m.sigs[e.URL] = e.Signature
	}
	return m, nil
}

// stateKey is requestKey for a stored state: the URL, plus the form of a POST.
func stateKey(u, form string) string {
	if form == "" {
		return u
	}
	return u + "#" + form
}

// state returns the last state of a request (by requestKey).
func (m *fetchMemory) state(key string) (store.FetchState, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.states[key]
	return s, ok
}

// signature returns what a list last showed for an entry.
func (m *fetchMemory) signature(u string) (string, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	s, ok := m.sigs[u]
	return s, ok
}

// remember records what a committed batch wrote (a sweep without memory,
// the credit system's, remembers nothing).
func (m *fetchMemory) remember(b store.Batch) {
	if m == nil || len(b.FetchStates) == 0 && len(b.ListEntries) == 0 {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, s := range b.FetchStates {
		m.states[stateKey(s.URL, s.Form)] = s
	}
	for _, e := range b.ListEntries {
		m.sigs[e.URL] = e.Signature
	}
}

// statePrefixes are the URL prefixes of a source's requests: its hosts,
// its columns' hosts and the hosts of its known publications, each over
// http and https (and any port, for a host given without one).
func statePrefixes(src config.Source, knownURLs iter.Seq[string]) []string {
	var hosts []string
	add := func(h string) {
		h = strings.ToLower(strings.TrimSpace(h))
		if h != "" && !slices.Contains(hosts, h) {
			hosts = append(hosts, h)
		}
	}
	for _, h := range sourceHosts(src) {
		add(h)
	}
	for raw := range knownURLs {
		if u, err := url.Parse(raw); err == nil {
			add(u.Host)
		}
	}
	var out []string
	for _, h := range hosts {
		for _, scheme := range []string{"http://", "https://"} {
			out = append(out, scheme+h+"/")
			if !strings.Contains(h, ":") {
				out = append(out, scheme+h+":")
			}
		}
	}
	return out
}
