package sim

import (
	"encoding/binary"
	"hash/fnv"
	"math/rand/v2"
)

// newRand returns a PCG stream derived from the world seed and a label, so
// that each concern (a county's records, its noise, the credit system) draws
// from its own stream and adding draws to one does not reshuffle the others.
func newRand(seed int64, label string) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), hashString(label)))
}

func hashString(s string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(s))
	return h.Sum64()
}

// hash01 maps (seed, parts…) to a uniform number in [0,1). Fault injection
// uses it so that the answer to the n-th attempt at a URL is reproducible.
func hash01(seed int64, parts ...string) float64 {
	h := fnv.New64a()
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(seed))
	h.Write(b[:])
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	// fnv's low bits are weak; mix before scaling.
	x := h.Sum64()
	x ^= x >> 33
	x *= 0xff51afd7ed558ccd
	x ^= x >> 33
	x *= 0xc4ceb9fe1a85ec53
	x ^= x >> 33
	return float64(x>>11) / float64(1<<53)
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// chance reports true with probability p.
func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// between returns an integer in [lo, hi].
func between(r *rand.Rand, lo, hi int) int {
	if hi <= lo {
		return lo
	}
	return lo + r.IntN(hi-lo+1)
}
