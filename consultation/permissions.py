"""The names of the permissions `consultation.rules` registers; views use these, not strings."""

VIEW_RESPONSES = "consultation.view_responses"
