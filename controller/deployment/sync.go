package deployment

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"time"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
	corev1 "github.com/cellkit/cellkit/apimachinery/apis/core/v1"
	apierrors "github.com/cellkit/cellkit/apimachinery/errors"
	"github.com/cellkit/cellkit/apimachinery/labels"
	"github.com/cellkit/cellkit/apimachinery/meta"
	"github.com/cellkit/cellkit/controller"
	"github.com/cellkit/cellkit/store"
)

// Reconcile brings one Deployment's ReplicaSets and status in line with its spec. It is the
// controller's controller.Reconciler; Run calls it.
func (c *Controller) Reconcile(ctx context.Context, req controller.Request) (controller.Result, error) {
	cached, ok := c.dLister.Namespace(req.Namespace).Get(req.Name)
	if !ok {
		c.forget(req)
		return controller.Result{}, nil
	}
	mark := c.mark(req)
	if mark.rs > 0 {
		if err := c.rsInf.WaitForRevision(ctx, mark.rs); err != nil {
			return controller.Result{}, fmt.Errorf("sync deployment %s: wait for replica set cache: %w", req, err)
		}
	}
	if mark.d > 0 {
		if err := c.dInf.WaitForRevision(ctx, mark.d); err != nil {
			return controller.Result{}, fmt.Errorf("sync deployment %s: wait for deployment cache: %w", req, err)
		}
		if cached, ok = c.dLister.Namespace(req.Namespace).Get(req.Name); !ok {
			c.forget(req)
			return controller.Result{}, nil
		}
	}
	d := cached.DeepCopy()
	// The registry defaults every Deployment it stores and every ReplicaSet the controller
	// creates from it. Defaulting our copy as well (a no-op for a stored Deployment) keeps the
	// template of a Deployment that somehow escaped defaulting equal to that of the defaulted
	// ReplicaSet made from it, so it is never taken for a new template.
	appsv1.DefaultDeployment(d)
	s := &syncer{c: c, req: req, d: d, now: c.clock.Now()}
	c.log.V(4).Info("syncing deployment", "deployment", req.String(), "generation", cached.Generation)
	res, err := s.run(ctx)
	if err != nil {
		return res, fmt.Errorf("sync deployment %s: %w", req, err)
	}
	return res, nil
}

// syncer is the state of one reconcile of one Deployment. d is our copy of the Deployment,
// replaced by what the store returns after each write. rsList holds shallow copies of its
// ReplicaSets (their nested maps and pointers are shared with the cache and never modified;
// a change is made on a deep copy), each overwritten as a whole by what the store returns
// after a write, so every slice that holds one sees the latest.
type syncer struct {
	c      *Controller
	req    controller.Request
	d      *appsv1.Deployment
	rsList []*appsv1.ReplicaSet
	now    time.Time

	// templates memoizes the template encodings findNewReplicaSet compares (the controller
	// never changes a template, so they hold for the whole sync); dTemplate is the
	// Deployment's.
	templates map[*appsv1.ReplicaSet][]byte
	dTemplate []byte
}

func (s *syncer) run(ctx context.Context) (controller.Result, error) {
	d := s.d
	if d.Spec.Selector == nil || (len(d.Spec.Selector.MatchLabels) == 0 && len(d.Spec.Selector.MatchExpressions) == 0) {
		s.c.events.Eventf(d, corev1.EventTypeWarning, "SelectingAll", "This deployment is selecting all pods. A non-empty selector is required.")
		if d.Status.ObservedGeneration < d.Generation {
			st := *d.Status.DeepCopy()
			st.ObservedGeneration = d.Generation
			return controller.Result{}, s.writeStatus(ctx, st)
		}
		return controller.Result{}, nil
	}
	sel, err := labels.LabelSelectorAsSelector(d.Spec.Selector)
	if err != nil {
		s.c.events.Eventf(d, corev1.EventTypeWarning, "InvalidSelector", "invalid selector: %v", err)
		return controller.Result{}, controller.Terminal(fmt.Errorf("selector: %w", err))
	}
	switch d.Spec.Strategy.Type {
	case "", appsv1.RollingUpdateDeploymentStrategyType, appsv1.RecreateDeploymentStrategyType:
	default:
		s.c.events.Eventf(d, corev1.EventTypeWarning, "InvalidStrategy", "unknown strategy type %q", d.Spec.Strategy.Type)
		return controller.Result{}, controller.Terminal(fmt.Errorf("%w: unknown strategy type %q", ErrInvalidStrategy, d.Spec.Strategy.Type))
	}
	if _, _, err := budget(d); err != nil {
		s.c.events.Eventf(d, corev1.EventTypeWarning, "InvalidStrategy", "%v", err)
		return controller.Result{}, controller.Terminal(err)
	}
	if err := s.claimReplicaSets(ctx, sel); err != nil {
		return controller.Result{}, err
	}
	if d.DeletionTimestamp != nil {
		return controller.Result{}, s.syncStatusOnly(ctx)
	}
	if err := s.checkPausedConditions(ctx); err != nil {
		return controller.Result{}, err
	}
	if s.d.Spec.Paused {
		return controller.Result{}, s.syncScale(ctx)
	}
	scaling, err := s.isScalingEvent(ctx)
	if err != nil {
		return controller.Result{}, err
	}
	if scaling {
		return controller.Result{}, s.syncScale(ctx)
	}
	if s.d.Spec.Strategy.Type == appsv1.RecreateDeploymentStrategyType {
		return s.rolloutRecreate(ctx, sel)
	}
	return s.rolloutRolling(ctx)
}

// claimReplicaSets adopts the orphan ReplicaSets the selector matches, releases owned ones
// it no longer matches, and keeps copies of the ones the Deployment controls.
func (s *syncer) claimReplicaSets(ctx context.Context, sel labels.Selector) error {
	d := s.d
	candidates := s.c.rsLister.Namespace(d.Namespace).List(nil)
	claim := controller.Claim{
		Owner: d, Kind: deploymentKind, Selector: sel,
		CanAdopt: func(ctx context.Context) error {
			fresh, err := s.c.deployments.Get(ctx, d.Namespace, d.Name, store.GetOptions{})
			if err != nil {
				return err
			}
			if fresh.UID != d.UID {
				return fmt.Errorf("deployment %s/%s was recreated (uid %s, not %s)", d.Namespace, d.Name, fresh.UID, d.UID)
			}
			if fresh.DeletionTimestamp != nil {
				return fmt.Errorf("deployment %s/%s is being deleted", d.Namespace, d.Name)
			}
			return nil
		},
	}
	owned, err := controller.ClaimChildren(ctx, s.c.replicaSets, claim, candidates)
	s.rsList = make([]*appsv1.ReplicaSet, 0, len(owned))
	for _, rs := range owned {
		cp := *rs
		s.rsList = append(s.rsList, &cp)
		s.c.wrote(s.req, rs, false)
	}
	if err != nil {
		return fmt.Errorf("claim replica sets: %w", err)
	}
	return nil
}

// checkPausedConditions keeps the Progressing condition in step with spec.paused: Unknown
// with reason DeploymentPaused while paused, DeploymentResumed once resumed. A timed-out
// rollout keeps its ProgressDeadlineExceeded.
func (s *syncer) checkPausedConditions(ctx context.Context) error {
	d := s.d
	if !hasProgressDeadline(d) {
		return nil
	}
	cond := getCondition(&d.Status, appsv1.DeploymentProgressing)
	if cond != nil && cond.Reason == ReasonProgressDeadlineExceeded {
		return nil
	}
	pausedShown := cond != nil && cond.Reason == ReasonDeploymentPaused
	st := *d.Status.DeepCopy()
	switch {
	case d.Spec.Paused && !pausedShown:
		setCondition(&st, newCondition(appsv1.DeploymentProgressing, corev1.ConditionUnknown, ReasonDeploymentPaused, "Deployment is paused", s.now))
	case !d.Spec.Paused && pausedShown:
		setCondition(&st, newCondition(appsv1.DeploymentProgressing, corev1.ConditionUnknown, ReasonDeploymentResumed, "Deployment is resumed", s.now))
	default:
		return nil
	}
	return s.writeStatus(ctx, st)
}

// findNewReplicaSet returns the oldest ReplicaSet whose template equals d's (ignoring the
// hash label, comparing JSON encodings as equalIgnoreHash does), or nil.
func (s *syncer) findNewReplicaSet() *appsv1.ReplicaSet {
	if s.dTemplate == nil {
		b, err := templateJSON(&s.d.Spec.Template)
		if err != nil {
			return nil
		}
		s.dTemplate = b
	}
	if s.templates == nil {
		s.templates = map[*appsv1.ReplicaSet][]byte{}
	}
	sorted := slices.Clone(s.rsList)
	sortByAge(sorted)
	for _, rs := range sorted {
		b, ok := s.templates[rs]
		if !ok {
			var err error
			if b, err = templateJSON(&rs.Spec.Template); err != nil {
				continue
			}
			s.templates[rs] = b
		}
		if string(b) == string(s.dTemplate) {
			return rs
		}
	}
	return nil
}

// allReplicaSets returns the Deployment's current ReplicaSet (created when create is set and
// there is none; else possibly nil) and all the others, and brings the revision annotations of
// the current one and of the Deployment up to date.
func (s *syncer) allReplicaSets(ctx context.Context, create bool) (*appsv1.ReplicaSet, []*appsv1.ReplicaSet, error) {
	existing := s.findNewReplicaSet()
	var old []*appsv1.ReplicaSet
	for _, rs := range s.rsList {
		if rs != existing {
			old = append(old, rs)
		}
	}
	newRS, err := s.newReplicaSet(ctx, existing, old, create)
	if err != nil {
		return nil, nil, err
	}
	return newRS, old, nil
}

// newReplicaSet updates the annotations of the current ReplicaSet existing, or, when there is
// none and create is set, creates it with as many replicas as the strategy allows now.
func (s *syncer) newReplicaSet(ctx context.Context, existing *appsv1.ReplicaSet, old []*appsv1.ReplicaSet, create bool) (*appsv1.ReplicaSet, error) {
	d := s.d
	newRevision := maxRevision(old) + 1
	if existing != nil {
		cp := existing.DeepCopy()
		changed := setNewReplicaSetAnnotations(d, cp, newRevision, true, maxSurge(d))
		if cp.Spec.MinReadySeconds != d.Spec.MinReadySeconds {
			cp.Spec.MinReadySeconds = d.Spec.MinReadySeconds
			changed = true
		}
		if changed {
			if err := s.updateRS(ctx, existing, cp); err != nil {
				return nil, err
			}
		}
		if err := s.setDeploymentRevision(ctx, existing.Annotations[RevisionAnnotation]); err != nil {
			return nil, err
		}
		if hasProgressDeadline(s.d) && getCondition(&s.d.Status, appsv1.DeploymentProgressing) == nil {
			st := *s.d.Status.DeepCopy()
			setCondition(&st, newCondition(appsv1.DeploymentProgressing, corev1.ConditionTrue, ReasonFoundNewReplicaSet,
				fmt.Sprintf("Found new replica set %q", existing.Name), s.now))
			if err := s.writeStatus(ctx, st); err != nil {
				return nil, err
			}
		}
		return existing, nil
	}
	if !create {
		return nil, nil
	}
	hash, err := TemplateHash(&d.Spec.Template, d.Status.CollisionCount)
	if err != nil {
		return nil, controller.Terminal(err)
	}
	rs := &appsv1.ReplicaSet{
		ObjectMeta: meta.ObjectMeta{Name: d.Name + "-" + hash, Namespace: d.Namespace},
		Spec: appsv1.ReplicaSetSpec{
			Replicas:        new(int32),
			MinReadySeconds: d.Spec.MinReadySeconds,
			Selector:        d.Spec.Selector.DeepCopy(),
			Template:        *d.Spec.Template.DeepCopy(),
		},
	}
	rs.Spec.Template.Labels = withLabel(d.Spec.Template.Labels, appsv1.DefaultDeploymentUniqueLabelKey, hash)
	rs.Labels = withLabel(d.Spec.Template.Labels, appsv1.DefaultDeploymentUniqueLabelKey, hash)
	rs.Spec.Selector.MatchLabels = withLabel(rs.Spec.Selector.MatchLabels, appsv1.DefaultDeploymentUniqueLabelKey, hash)
	if err := controller.SetControllerRef(&rs.ObjectMeta, &d.ObjectMeta, deploymentKind); err != nil {
		return nil, controller.Terminal(err)
	}
	*rs.Spec.Replicas = newRSNewReplicas(d, append(slices.Clone(old), rs), rs)
	setNewReplicaSetAnnotations(d, rs, newRevision, false, maxSurge(d))

	created, err := s.c.replicaSets.Create(ctx, rs)
	alreadyExists := false
	switch {
	case apierrors.IsAlreadyExists(err):
		// Either our own ReplicaSet that the cache has not shown yet, or a hash collision.
		cur, gerr := s.c.replicaSets.Get(ctx, rs.Namespace, rs.Name, store.GetOptions{})
		if gerr != nil {
			return nil, fmt.Errorf("get replica set %s: %w", rs.Name, gerr)
		}
		if meta.IsControlledBy(&cur.ObjectMeta, &d.ObjectMeta) && equalIgnoreHash(&cur.Spec.Template, &d.Spec.Template) {
			created, alreadyExists = cur, true
			break
		}
		st := *d.Status.DeepCopy()
		var n int32
		if st.CollisionCount != nil {
			n = *st.CollisionCount
		}
		n++
		st.CollisionCount = &n
		if werr := s.writeStatus(ctx, st); werr != nil {
			return nil, fmt.Errorf("%w: %s: bump collision count: %w", ErrHashCollision, rs.Name, werr)
		}
		s.c.log.V(2).Info("replica set name taken, collision count bumped", "deployment", s.req.String(), "replicaSet", rs.Name, "collisionCount", n)
		return nil, fmt.Errorf("%w: %s exists with another template; collision count is now %d", ErrHashCollision, rs.Name, n)
	case err != nil:
		msg := fmt.Sprintf("Failed to create new replica set %q: %v", rs.Name, err)
		if hasProgressDeadline(d) {
			st := *d.Status.DeepCopy()
			setCondition(&st, newCondition(appsv1.DeploymentProgressing, corev1.ConditionFalse, ReasonReplicaSetCreateError, msg, s.now))
			// The create error is the one to report; a failed status write only loses the
			// condition until the next attempt.
			_ = s.writeStatus(ctx, st)
		}
		s.c.events.Eventf(d, corev1.EventTypeWarning, ReasonReplicaSetCreateError, "%s", msg)
		return nil, fmt.Errorf("create replica set %s: %w", rs.Name, err)
	}
	s.c.wrote(s.req, created, false)
	if !alreadyExists {
		s.c.log.V(2).Info("created replica set", "deployment", s.req.String(), "replicaSet", created.Name,
			"replicas", rsReplicas(created), "revision", created.Annotations[RevisionAnnotation])
	}
	s.rsList = append(s.rsList, created)
	if !alreadyExists && rsReplicas(created) > 0 {
		s.c.events.Eventf(d, corev1.EventTypeNormal, "ScalingReplicaSet", "Scaled up replica set %s from 0 to %d", created.Name, rsReplicas(created))
	}
	if err := s.setDeploymentRevision(ctx, created.Annotations[RevisionAnnotation]); err != nil {
		return nil, err
	}
	if !alreadyExists && hasProgressDeadline(s.d) {
		st := *s.d.Status.DeepCopy()
		setCondition(&st, newCondition(appsv1.DeploymentProgressing, corev1.ConditionTrue, ReasonNewReplicaSetCreated,
			fmt.Sprintf("Created new replica set %q", created.Name), s.now))
		if err := s.writeStatus(ctx, st); err != nil {
			return nil, err
		}
	}
	return created, nil
}

// withLabel returns a copy of m with key set to value.
func withLabel(m map[string]string, key, value string) map[string]string {
	out := make(map[string]string, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	out[key] = value
	return out
}

// isScalingEvent reports whether the Deployment's replicas changed since its active
// ReplicaSets were last sized (their desired-replicas annotation differs).
func (s *syncer) isScalingEvent(ctx context.Context) (bool, error) {
	newRS, old, err := s.allReplicaSets(ctx, false)
	if err != nil {
		return false, err
	}
	for _, rs := range filterActive(append(old, newRS)) {
		desired, ok := replicasAnnotation(rs, DesiredReplicasAnnotation)
		if ok && desired != desiredReplicas(s.d) {
			return true, nil
		}
	}
	return false, nil
}

// syncScale is the sync of a paused Deployment or of a scaling event: resize the ReplicaSets
// without rolling out, clean up history when paused, and report status.
func (s *syncer) syncScale(ctx context.Context) error {
	newRS, old, err := s.allReplicaSets(ctx, false)
	if err != nil {
		return err
	}
	if err := s.scale(ctx, newRS, old); err != nil {
		return err
	}
	if s.d.Spec.Paused {
		if err := s.cleanup(ctx, old); err != nil {
			return err
		}
	}
	return s.syncDeploymentStatus(ctx, append(old, newRS), newRS)
}

// syncStatusOnly reports the status of a Deployment being deleted, changing nothing else.
func (s *syncer) syncStatusOnly(ctx context.Context) error {
	newRS, old, err := s.allReplicaSets(ctx, false)
	if err != nil {
		return err
	}
	return s.syncDeploymentStatus(ctx, append(old, newRS), newRS)
}

// findActiveOrLatest returns the one ReplicaSet to give all replicas to: the only active one,
// or, when none is active, the new one or else the newest old one; nil when several are
// active.
func findActiveOrLatest(newRS *appsv1.ReplicaSet, old []*appsv1.ReplicaSet) *appsv1.ReplicaSet {
	if newRS == nil && len(old) == 0 {
		return nil
	}
	newestFirst := slices.Clone(old)
	sortByAge(newestFirst)
	slices.Reverse(newestFirst)
	active := filterActive(append(slices.Clone(newestFirst), newRS))
	switch len(active) {
	case 0:
		if newRS != nil {
			return newRS
		}
		return newestFirst[0]
	case 1:
		return active[0]
	}
	return nil
}

// scale resizes the ReplicaSets for a changed spec.replicas: all of it to the one active
// ReplicaSet; the old ones to zero when the new one is saturated; else, during a rolling
// update, proportionally.
func (s *syncer) scale(ctx context.Context, newRS *appsv1.ReplicaSet, old []*appsv1.ReplicaSet) error {
	d := s.d
	if rs := findActiveOrLatest(newRS, old); rs != nil {
		if rsReplicas(rs) == desiredReplicas(d) {
			return nil
		}
		_, err := s.scaleAndRecord(ctx, rs, desiredReplicas(d))
		return err
	}
	if isSaturated(d, newRS) {
		for _, rs := range filterActive(old) {
			if _, err := s.scaleAndRecord(ctx, rs, 0); err != nil {
				return err
			}
		}
		return nil
	}
	if !isRollingUpdate(d) {
		return nil
	}
	steps, op := proportionalScale(d, append(slices.Clone(old), newRS))
	for _, st := range steps {
		if _, err := s.scaleRS(ctx, st.rs, st.size, op); err != nil {
			return err
		}
	}
	return nil
}

// scaleAndRecord sets rs's size to n when it differs and reports whether it did.
func (s *syncer) scaleAndRecord(ctx context.Context, rs *appsv1.ReplicaSet, n int32) (bool, error) {
	if rsReplicas(rs) == n {
		return false, nil
	}
	op := "down"
	if n > rsReplicas(rs) {
		op = "up"
	}
	return s.scaleRS(ctx, rs, n, op)
}

// scaleRS sets rs's size to n and its replica annotations to the Deployment's current
// figures, writing when either differs; it reports whether the size changed.
func (s *syncer) scaleRS(ctx context.Context, rs *appsv1.ReplicaSet, n int32, op string) (bool, error) {
	desired := desiredReplicas(s.d)
	maxTotal := desired + maxSurge(s.d)
	resize := rsReplicas(rs) != n
	if !resize && !replicasAnnotationsNeedUpdate(rs, desired, maxTotal) {
		return false, nil
	}
	was := rsReplicas(rs)
	cp := rs.DeepCopy()
	cp.Spec.Replicas = &n
	setReplicasAnnotations(cp, desired, maxTotal)
	if err := s.updateRS(ctx, rs, cp); err != nil {
		return false, err
	}
	if resize {
		s.c.log.V(2).Info("scaled replica set", "deployment", s.req.String(), "replicaSet", rs.Name, "from", was, "to", n)
		s.c.events.Eventf(s.d, corev1.EventTypeNormal, "ScalingReplicaSet", "Scaled %s replica set %s from %d to %d", op, rs.Name, was, n)
	}
	return resize, nil
}

// updateRS writes cp (a modified copy of rs) with rs's resourceVersion as precondition and
// overwrites rs with the result.
func (s *syncer) updateRS(ctx context.Context, rs, cp *appsv1.ReplicaSet) error {
	out, err := s.c.replicaSets.Update(ctx, cp)
	if err != nil {
		return fmt.Errorf("update replica set %s: %w", rs.Name, err)
	}
	s.c.wrote(s.req, out, false)
	*rs = *out // the store's copy is ours
	return nil
}

// setDeploymentRevision sets the Deployment's revision annotation to rev.
func (s *syncer) setDeploymentRevision(ctx context.Context, rev string) error {
	if rev == "" || s.d.Annotations[RevisionAnnotation] == rev {
		return nil
	}
	cp := s.d.DeepCopy()
	if cp.Annotations == nil {
		cp.Annotations = map[string]string{}
	}
	cp.Annotations[RevisionAnnotation] = rev
	out, err := s.c.deployments.Update(ctx, cp)
	if err != nil {
		return fmt.Errorf("set revision annotation: %w", err)
	}
	s.c.wrote(s.req, out, true)
	s.d = out
	return nil
}

// writeStatus writes st as the Deployment's status through the status subresource, with our
// copy's resourceVersion as precondition.
func (s *syncer) writeStatus(ctx context.Context, st appsv1.DeploymentStatus) error {
	cp := s.d.DeepCopy()
	cp.Status = st
	out, err := s.c.status.Update(ctx, cp)
	if err != nil {
		return fmt.Errorf("update status: %w", err)
	}
	s.c.wrote(s.req, out, true)
	s.d = out
	return nil
}

// syncDeploymentStatus writes the status computed from the ReplicaSets when it changed.
func (s *syncer) syncDeploymentStatus(ctx context.Context, allRSs []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet) error {
	st := calculateStatus(s.d, allRSs, newRS, s.now)
	if reflect.DeepEqual(s.d.Status, st) {
		return nil
	}
	return s.writeStatus(ctx, st)
}

// syncRolloutStatus writes the status of a rollout, with the Progressing condition, and asks
// to be called again when the progress deadline would pass.
func (s *syncer) syncRolloutStatus(ctx context.Context, allRSs []*appsv1.ReplicaSet, newRS *appsv1.ReplicaSet) (controller.Result, error) {
	d := s.d
	st := calculateStatus(d, allRSs, newRS, s.now)
	if !hasProgressDeadline(d) {
		removeCondition(&st, appsv1.DeploymentProgressing)
	}
	cur := getCondition(&d.Status, appsv1.DeploymentProgressing)
	complete := st.Replicas == st.UpdatedReplicas && cur != nil && cur.Reason == ReasonNewReplicaSetAvailable
	if hasProgressDeadline(d) && !complete {
		switch {
		case deploymentComplete(d, &st):
			setCondition(&st, newCondition(appsv1.DeploymentProgressing, corev1.ConditionTrue, ReasonNewReplicaSetAvailable,
				progressMessage(d, newRS, "has successfully progressed"), s.now))
		case deploymentProgressing(d, &st):
			c := newCondition(appsv1.DeploymentProgressing, corev1.ConditionTrue, ReasonReplicaSetUpdated,
				progressMessage(d, newRS, "is progressing"), s.now)
			if cur != nil {
				if cur.Status == corev1.ConditionTrue {
					c.LastTransitionTime = cur.LastTransitionTime
				}
				removeCondition(&st, appsv1.DeploymentProgressing)
			}
			setCondition(&st, c)
		case deploymentTimedOut(d, &st, s.now):
			setCondition(&st, newCondition(appsv1.DeploymentProgressing, corev1.ConditionFalse, ReasonProgressDeadlineExceeded,
				progressMessage(d, newRS, "has timed out progressing"), s.now))
		}
	}
	if rf := replicaFailure(allRSs, newRS); rf != nil {
		setCondition(&st, *rf)
	} else {
		removeCondition(&st, appsv1.DeploymentReplicaFailure)
	}
	if !reflect.DeepEqual(d.Status, st) {
		if err := s.writeStatus(ctx, st); err != nil {
			return controller.Result{}, err
		}
	}
	if after := progressCheckAfter(s.d, &st, s.now); after > 0 {
		return controller.Result{RequeueAfter: after}, nil
	}
	return controller.Result{}, nil
}

// cleanup deletes the oldest old ReplicaSets beyond revisionHistoryLimit, lowest revision
// first, skipping any that still has or wants pods or whose status lags its spec.
func (s *syncer) cleanup(ctx context.Context, old []*appsv1.ReplicaSet) error {
	d := s.d
	if !hasRevisionHistoryLimit(d) {
		return nil
	}
	var alive []*appsv1.ReplicaSet
	for _, rs := range old {
		if rs != nil && rs.DeletionTimestamp == nil {
			alive = append(alive, rs)
		}
	}
	diff := len(alive) - int(*d.Spec.RevisionHistoryLimit)
	if diff <= 0 {
		return nil
	}
	sortByRevision(alive)
	for _, rs := range alive[:diff] {
		if rs.Status.Replicas != 0 || rsReplicas(rs) != 0 || rs.Generation > rs.Status.ObservedGeneration {
			continue
		}
		uid := rs.UID
		out, err := s.c.replicaSets.Delete(ctx, rs.Namespace, rs.Name, store.DeleteOptions{Preconditions: &meta.Preconditions{UID: &uid}})
		switch {
		case apierrors.IsNotFound(err):
			continue
		case err != nil:
			return fmt.Errorf("delete old replica set %s: %w", rs.Name, err)
		}
		s.c.wrote(s.req, out, false)
		s.c.log.V(2).Info("deleted old replica set", "deployment", s.req.String(), "replicaSet", rs.Name, "revision", rs.Annotations[RevisionAnnotation])
		s.rsList = slices.DeleteFunc(s.rsList, func(x *appsv1.ReplicaSet) bool { return x == rs })
	}
	return nil
}
