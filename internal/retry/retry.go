// Package retry holds the jittered, doubling back-off and the cancellable
// sleep that the processes coordinating through Redis (the shared
// politeness gate, the unit queue) use while the server is away.
package retry

import (
	"context"
	"math/rand/v2"
	"time"
)

const (
	first = 100 * time.Millisecond
	most  = 2 * time.Second
)

// Backoff doubles from 100 ms to 2 s; each wait is drawn from the upper
// half of the current step, so processes that lost the server together do
// not come back together. The zero value is ready; assign a zero value to
// start over after a success.
type Backoff struct{ d time.Duration }

// Next returns the next wait.
func (b *Backoff) Next() time.Duration {
	switch {
	case b.d == 0:
		b.d = first
	case b.d < most:
		b.d = min(2*b.d, most)
	}
	return b.d/2 + time.Duration(rand.Int64N(int64(b.d/2)+1))
}

// Sleep waits d, or until ctx is done (then it returns ctx.Err()).
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
