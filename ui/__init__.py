"""The Qt window: views, models and dialogs on top of the planner's operations and the graph engine."""
