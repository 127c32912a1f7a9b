package matcher

// scanner finds every occurrence of a fixed set of words in one pass over a
// text: an Aho–Corasick automaton over bytes, compiled to a dense table so
// that each byte costs one lookup. Classifying 300,000 publications against
// a few hundred keywords with strings.Contains would read each body a few
// hundred times; this reads it once. It is the one hand-made text
// algorithm of the matcher: BenchmarkKeywordScan, beside it, measures it
// against the plain way.
type scanner struct {
	delta [][256]int32 // next state for every state and byte (failures folded in)
	out   [][]int32    // words ending at each state (own and via fail links)
	wlens []int
}

func newScanner(words []string) *scanner {
	type node struct {
		next map[byte]int32
		fail int32
		out  []int32
	}
	nodes := []node{{next: map[byte]int32{}}}
	wlens := make([]int, len(words))
	for wi, w := range words {
		wlens[wi] = len(w)
		state := int32(0)
		for i := 0; i < len(w); i++ {
			nx, ok := nodes[state].next[w[i]]
			if !ok {
				nx = int32(len(nodes))
				nodes = append(nodes, node{next: map[byte]int32{}})
				nodes[state].next[w[i]] = nx
			}
			state = nx
		}
		nodes[state].out = append(nodes[state].out, int32(wi))
	}
	s := &scanner{delta: make([][256]int32, len(nodes)), out: make([][]int32, len(nodes)), wlens: wlens}
	// Breadth-first: a state's transitions are its own edges, else those of
	// its fail state (already complete, being shallower).
	queue := []int32{}
	for b := 0; b < 256; b++ {
		if nx, ok := nodes[0].next[byte(b)]; ok {
			s.delta[0][b] = nx
			queue = append(queue, nx)
		}
	}
	s.out[0] = nodes[0].out
	for len(queue) > 0 {
		st := queue[0]
		queue = queue[1:]
		f := nodes[st].fail
		s.out[st] = append(append([]int32(nil), nodes[st].out...), s.out[f]...)
		for b := 0; b < 256; b++ {
			if nx, ok := nodes[st].next[byte(b)]; ok {
				if st == 0 {
					nodes[nx].fail = 0
				} else {
					nodes[nx].fail = s.delta[f][b]
				}
				s.delta[st][b] = nx
				queue = append(queue, nx)
			} else {
				s.delta[st][b] = s.delta[f][b]
			}
		}
	}
	return s
}

// hit is one occurrence: word index and byte span.
type hit struct {
	word       int32
	start, end int
}

// scan calls fn for every occurrence of every word in text.
func (s *scanner) scan(text string, fn func(h hit)) {
	state := int32(0)
	for i := 0; i < len(text); i++ {
		state = s.delta[state][text[i]]
		for _, w := range s.out[state] {
			fn(hit{word: w, start: i + 1 - s.wlens[w], end: i + 1})
		}
	}
}
