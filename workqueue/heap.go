package workqueue

// The delay heap is a binary min-heap ordered by deadline, then by insertion;
// each entry knows its index so it can be moved or removed.

func (q *Queue[T]) heapLess(i, j int) bool {
	a, b := &q.heap[i], &q.heap[j]
	if a.at != b.at {
		return a.at < b.at
	}
	return a.seq < b.seq
}

func (q *Queue[T]) heapSwap(i, j int) {
	q.heap[i], q.heap[j] = q.heap[j], q.heap[i]
	q.heap[i].e.heapIdx = i
	q.heap[j].e.heapIdx = j
}

func (q *Queue[T]) heapPush(e *entry[T], at int64) {
	q.hseq++
	e.heapIdx = len(q.heap)
	q.heap = append(q.heap, hitem[T]{at: at, seq: q.hseq, e: e})
	q.heapUp(e.heapIdx)
}

func (q *Queue[T]) heapUp(i int) {
	for i > 0 {
		p := (i - 1) / 2
		if !q.heapLess(i, p) {
			return
		}
		q.heapSwap(i, p)
		i = p
	}
}

func (q *Queue[T]) heapDown(i int) {
	n := len(q.heap)
	for {
		l := 2*i + 1
		if l >= n {
			return
		}
		c := l
		if r := l + 1; r < n && q.heapLess(r, l) {
			c = r
		}
		if !q.heapLess(c, i) {
			return
		}
		q.heapSwap(i, c)
		i = c
	}
}

func (q *Queue[T]) heapRemove(e *entry[T]) {
	i := e.heapIdx
	last := len(q.heap) - 1
	if i != last {
		q.heapSwap(i, last)
	}
	q.heap[last] = hitem[T]{}
	q.heap = q.heap[:last]
	e.heapIdx = -1
	if i != last {
		q.heapDown(i)
		q.heapUp(i)
	}
}
