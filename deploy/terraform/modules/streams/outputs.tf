output "service_names" {
  description = "The ECS services: topology, connect-<name> for each connector, sink."
  value       = [for s in aws_ecs_service.service : s.name]
}

output "log_group" {
  description = "Log group of every Streams service (JSON lines; query with Logs Insights)."
  value       = aws_cloudwatch_log_group.streams.name
}

output "task_role_arns" {
  description = "Task role per service."
  value       = { for k, r in aws_iam_role.task : k => r.arn }
}
