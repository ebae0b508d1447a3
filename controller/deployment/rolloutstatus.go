package deployment

import (
	"fmt"

	appsv1 "github.com/cellkit/cellkit/apimachinery/apis/apps/v1"
)

// RolloutStatus judges d's rollout the way `kubectl rollout status` does, from the fields the
// controller writes: done is true once the controller observed the current generation, every
// desired pod is updated, no old pod is left and every updated pod is available; until then
// msg says what it waits for, with kubectl's words. It fails with an error wrapping
// ErrProgressDeadlineExceeded when the Progressing condition says the rollout timed out.
func RolloutStatus(d *appsv1.Deployment) (msg string, done bool, err error) {
	if d.Generation > d.Status.ObservedGeneration {
		return "Waiting for deployment spec update to be observed...", false, nil
	}
	if c := getCondition(&d.Status, appsv1.DeploymentProgressing); c != nil && c.Reason == ReasonProgressDeadlineExceeded {
		return "", false, fmt.Errorf("deployment %q: %w", d.Name, ErrProgressDeadlineExceeded)
	}
	st := &d.Status
	if d.Spec.Replicas != nil && st.UpdatedReplicas < *d.Spec.Replicas {
		return fmt.Sprintf("Waiting for deployment %q rollout to finish: %d out of %d new replicas have been updated...",
			d.Name, st.UpdatedReplicas, *d.Spec.Replicas), false, nil
	}
	if st.Replicas > st.UpdatedReplicas {
		return fmt.Sprintf("Waiting for deployment %q rollout to finish: %d old replicas are pending termination...",
			d.Name, st.Replicas-st.UpdatedReplicas), false, nil
	}
	if st.AvailableReplicas < st.UpdatedReplicas {
		return fmt.Sprintf("Waiting for deployment %q rollout to finish: %d of %d updated replicas are available...",
			d.Name, st.AvailableReplicas, st.UpdatedReplicas), false, nil
	}
	return fmt.Sprintf("deployment %q successfully rolled out", d.Name), true, nil
}
