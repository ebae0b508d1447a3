package meta

import "time"

// SetStatusCondition puts c into *conditions, replacing the condition of the same Type, and reports
// whether anything changed. LastTransitionTime moves only when the status changes (or the
// condition is new): it is then c.LastTransitionTime when that is set, else now. A change of
// Reason, Message or ObservedGeneration alone keeps the old LastTransitionTime. now is passed in
// rather than read from a clock so that callers control time.
func SetStatusCondition(conditions *[]Condition, c Condition, now time.Time) bool {
	if conditions == nil {
		return false
	}
	transition := c.LastTransitionTime
	if transition.IsZero() {
		transition = NewTime(now)
	}
	existing := FindStatusCondition(*conditions, c.Type)
	if existing == nil {
		c.LastTransitionTime = transition
		*conditions = append(*conditions, c)
		return true
	}
	changed := false
	if existing.Status != c.Status {
		existing.Status = c.Status
		existing.LastTransitionTime = transition
		changed = true
	}
	if existing.Reason != c.Reason {
		existing.Reason = c.Reason
		changed = true
	}
	if existing.Message != c.Message {
		existing.Message = c.Message
		changed = true
	}
	if existing.ObservedGeneration != c.ObservedGeneration {
		existing.ObservedGeneration = c.ObservedGeneration
		changed = true
	}
	return changed
}

// RemoveStatusCondition removes the condition of the given type and reports whether there was
// one. The order of the other conditions is kept.
func RemoveStatusCondition(conditions *[]Condition, conditionType string) bool {
	if conditions == nil {
		return false
	}
	for i := range *conditions {
		if (*conditions)[i].Type == conditionType {
			*conditions = append((*conditions)[:i], (*conditions)[i+1:]...)
			return true
		}
	}
	return false
}

// FindStatusCondition returns a pointer to the condition of the given type inside conditions, so
// that the caller may change it in place, or nil.
func FindStatusCondition(conditions []Condition, conditionType string) *Condition {
	for i := range conditions {
		if conditions[i].Type == conditionType {
			return &conditions[i]
		}
	}
	return nil
}

// IsStatusConditionTrue reports whether the condition of the given type is present with status
// True.
func IsStatusConditionTrue(conditions []Condition, conditionType string) bool {
	return IsStatusConditionPresentAndEqual(conditions, conditionType, ConditionTrue)
}

// IsStatusConditionFalse reports whether the condition of the given type is present with status
// False. A missing condition is neither true nor false.
func IsStatusConditionFalse(conditions []Condition, conditionType string) bool {
	return IsStatusConditionPresentAndEqual(conditions, conditionType, ConditionFalse)
}

// IsStatusConditionPresentAndEqual reports whether the condition of the given type is present
// with the given status.
func IsStatusConditionPresentAndEqual(conditions []Condition, conditionType string, status ConditionStatus) bool {
	c := FindStatusCondition(conditions, conditionType)
	return c != nil && c.Status == status
}
