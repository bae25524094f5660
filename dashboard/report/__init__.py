"""The meeting pack: a covenant's KPIs against its targets as PDF or PowerPoint, per viewer."""
