// Package cache is the watch cache of the store: it fronts any store backend (memory, disk,
// etcd, a remote client) and implements store.Interface itself, serving reads, lists and
// watches from memory with one upstream watch per resource.
package cache
