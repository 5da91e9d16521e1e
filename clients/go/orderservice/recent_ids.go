package orderservice

// recentIDs is a bounded set of the notification ids most recently handed to the
// application: past its capacity the oldest id is forgotten. A replay after a reconnect
// is at most what came after the stored cursor, so a few thousand ids are plenty.
type recentIDs struct {
	ids  map[string]struct{}
	ring []string
	next int
}

func newRecentIDs(capacity int) *recentIDs {
	if capacity < 1 {
		capacity = 1
	}
	return &recentIDs{ids: make(map[string]struct{}, capacity), ring: make([]string, 0, capacity)}
}

func (r *recentIDs) contains(id string) bool {
	_, ok := r.ids[id]
	return ok
}

// add records id (once), forgetting the oldest id when full.
func (r *recentIDs) add(id string) {
	if r.contains(id) {
		return
	}
	if len(r.ring) < cap(r.ring) {
		r.ring = append(r.ring, id)
	} else {
		delete(r.ids, r.ring[r.next])
		r.ring[r.next] = id
		r.next = (r.next + 1) % len(r.ring)
	}
	r.ids[id] = struct{}{}
}
