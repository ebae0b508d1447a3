package workqueue

// The delay heap is a 4-ary min-heap ordered by deadline, then by insertion;
// each entry knows its index so it can be moved or removed. Four children
// per node halve the depth of a binary heap, so the sift-up that every new
// or earlier deadline needs touches half as many (cache-cold) levels of a
// large heap, and the children a sift-down compares sit side by side in
// memory. Sifting moves a hole instead of swapping: each level costs one
// element copy and one index update, and the moving element is written once
// at the end.

const heapArity = 4

// before reports whether a sorts before b.
func before[T comparable](a, b *hitem[T]) bool {
	if a.at != b.at {
		return a.at < b.at
	}
	return a.seq < b.seq
}

func (q *Queue[T]) heapPush(e *entry[T], at int64) {
	q.hseq++
	q.heap = append(q.heap, hitem[T]{at: at, seq: q.hseq, e: e})
	q.heapUp(len(q.heap) - 1)
}

// heapUp moves the element at i towards the root until its parent sorts
// before it, keeping every moved entry's heapIdx current.
func (q *Queue[T]) heapUp(i int) {
	h := q.heap
	x := h[i]
	for i > 0 {
		p := (i - 1) / heapArity
		if !before(&x, &h[p]) {
			break
		}
		h[i] = h[p]
		h[i].e.heapIdx = int32(i)
		i = p
	}
	h[i] = x
	x.e.heapIdx = int32(i)
}

// heapDown moves the element at i towards the leaves until no child sorts
// before it, keeping every moved entry's heapIdx current.
func (q *Queue[T]) heapDown(i int) {
	h := q.heap
	n := len(h)
	x := h[i]
	for {
		first := heapArity*i + 1
		if first >= n {
			break
		}
		c := first
		for j, end := first+1, min(first+heapArity, n); j < end; j++ {
			if before(&h[j], &h[c]) {
				c = j
			}
		}
		if !before(&h[c], &x) {
			break
		}
		h[i] = h[c]
		h[i].e.heapIdx = int32(i)
		i = c
	}
	h[i] = x
	x.e.heapIdx = int32(i)
}

// heapRemove takes e out of the heap and sets its heapIdx to -1.
func (q *Queue[T]) heapRemove(e *entry[T]) {
	i := int(e.heapIdx)
	last := len(q.heap) - 1
	if i != last {
		q.heap[i] = q.heap[last]
		q.heap[i].e.heapIdx = int32(i)
	}
	q.heap[last] = hitem[T]{}
	q.heap = q.heap[:last]
	e.heapIdx = -1
	if i != last {
		if i > 0 && before(&q.heap[i], &q.heap[(i-1)/heapArity]) {
			q.heapUp(i)
		} else {
			q.heapDown(i)
		}
	}
}
