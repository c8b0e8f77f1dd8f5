output "elasticsearch_url" {
  description = "Elasticsearch inside the VPC."
  value       = local.es_url
}

output "kibana_url" {
  description = "Kibana through its load balancer."
  value       = "https://${var.kibana_domain_name}"
}

output "kibana_load_balancer_dns_name" {
  description = "Point kibana_domain_name at this name (CNAME or alias)."
  value       = aws_lb.kibana.dns_name
}

output "sink_api_key_secret_arn" {
  description = "Secret the sink reads its API key from."
  value       = aws_secretsmanager_secret.sink_api_key.arn
}

output "elastic_password_secret_arn" {
  description = "Secret with the elastic user's password."
  value       = aws_secretsmanager_secret.elastic.arn
}
