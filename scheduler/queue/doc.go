// Package queue is the scheduler driver's scheduling queue: active pods in QueueSort order,
// pods backing off after a failed attempt (1 s doubling to 10 s by default), and pods parked as
// unschedulable until a cluster event that may help them (MoveAll) or a periodic flush.
// Nominated pods (preemption) are recorded here too; the queue implements
// framework.Nominator.
//
// The usage loop: informer handlers Add, Update and Delete pending pods; the scheduling loop
// Pops a pod (blocking), schedules it, then calls Done (placed), AddUnschedulable (rejected,
// with the cycle number Pop returned and the rejecting plugins) or AddBackoff (error); cluster
// events call MoveAll with a predicate on the rejecting plugins; a ticker on the driver's clock
// calls Flush.
//
// All methods are safe for concurrent use. Pop is the only blocking call; it honours its
// context. No method starts a goroutine.
package queue
