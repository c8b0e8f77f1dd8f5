output "cluster_name" {
  description = "The cluster's name."
  value       = aws_ecs_cluster.this.name
}

output "cluster_arn" {
  description = "The cluster's ARN."
  value       = aws_ecs_cluster.this.arn
}

output "namespace_id" {
  description = "The Cloud Map namespace services register in."
  value       = aws_service_discovery_private_dns_namespace.this.id
}

output "namespace_name" {
  description = "The namespace's DNS name."
  value       = aws_service_discovery_private_dns_namespace.this.name
}

output "execution_role_arn" {
  description = "The task execution role (image pull, logs); modules grant it their secrets."
  value       = aws_iam_role.execution.arn
}

output "execution_role_name" {
  description = "The task execution role's name, for policies attached elsewhere."
  value       = aws_iam_role.execution.name
}
