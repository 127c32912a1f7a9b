package matcher

// scanner finds every occurrence of a fixed set of words in one pass over a
// text (Aho–Corasick over bytes). Classifying 300,000 publications against
// a hundred keywords with strings.Contains would read each body a hundred
// times; this reads it once.
type scanner struct {
	next  []map[byte]int32 // goto function per state
	fail  []int32
	out   [][]int32 // words ending at each state (own and via fail links)
	wlens []int
}

func newScanner(words []string) *scanner {
	s := &scanner{next: []map[byte]int32{{}}, fail: []int32{0}, out: [][]int32{nil}}
	s.wlens = make([]int, len(words))
	for wi, w := range words {
		s.wlens[wi] = len(w)
		state := int32(0)
		for i := 0; i < len(w); i++ {
			nx, ok := s.next[state][w[i]]
			if !ok {
				nx = int32(len(s.next))
				s.next = append(s.next, map[byte]int32{})
				s.fail = append(s.fail, 0)
				s.out = append(s.out, nil)
				s.next[state][w[i]] = nx
			}
			state = nx
		}
		s.out[state] = append(s.out[state], int32(wi))
	}
	// Breadth-first fail links.
	queue := make([]int32, 0, len(s.next))
	for _, nx := range s.next[0] {
		queue = append(queue, nx)
	}
	for len(queue) > 0 {
		st := queue[0]
		queue = queue[1:]
		for b, nx := range s.next[st] {
			queue = append(queue, nx)
			f := s.fail[st]
			for {
				if t, ok := s.next[f][b]; ok && t != nx {
					s.fail[nx] = t
					break
				}
				if f == 0 {
					s.fail[nx] = 0
					break
				}
				f = s.fail[f]
			}
			s.out[nx] = append(s.out[nx], s.out[s.fail[nx]]...)
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
		b := text[i]
		for {
			if nx, ok := s.next[state][b]; ok {
				state = nx
				break
			}
			if state == 0 {
				break
			}
			state = s.fail[state]
		}
		for _, w := range s.out[state] {
			fn(hit{word: w, start: i + 1 - s.wlens[w], end: i + 1})
		}
	}
}
