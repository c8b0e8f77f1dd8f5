output "kibana_url" {
  description = "Kibana, through the load balancer with TLS."
  value       = module.elastic.kibana_url
}

output "kibana_load_balancer" {
  description = "DNS name of Kibana's load balancer: point kibana_domain_name at it."
  value       = module.elastic.kibana_load_balancer_dns_name
}

output "bootstrap_servers" {
  description = "Kafka bootstrap servers (reachable inside the VPC)."
  value       = module.kafka.bootstrap_servers
}

output "schema_registry_url" {
  description = "Schema registry URL (inside the VPC)."
  value       = module.kafka.schema_registry_url
}

output "elasticsearch_url" {
  description = "Elasticsearch URL (inside the VPC)."
  value       = module.elastic.elasticsearch_url
}

output "ecs_cluster" {
  description = "The ECS cluster."
  value       = module.ecs_cluster.cluster_name
}

output "streams_services" {
  description = "The Streams ECS services."
  value       = module.streams.service_names
}

output "streams_log_group" {
  description = "Log group of the Streams services."
  value       = module.streams.log_group
}

output "sink_api_key_secret_arn" {
  description = "Put the sink's Elasticsearch API key here if elasticsearch_sink_api_key was not given."
  value       = module.elastic.sink_api_key_secret_arn
}
