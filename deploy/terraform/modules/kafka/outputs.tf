output "bootstrap_servers" {
  description = "Comma-separated bootstrap servers for clients inside the VPC."
  value       = local.bootstrap_servers
}

output "security_protocol" {
  description = "security.protocol the clients use (SASL_SSL on MSK, PLAINTEXT on the ECS brokers)."
  value       = local.security_protocol
}

output "sasl_mechanism" {
  description = "sasl.mechanisms the clients use when the protocol is SASL_*."
  value       = local.sasl_mechanism
}

output "schema_registry_url" {
  description = "The schema registry's URL inside the VPC."
  value       = local.registry_url
}

output "credentials_secret_arn" {
  description = "Secret with the Kafka username and password (JSON keys username, password)."
  value       = aws_secretsmanager_secret.kafka.arn
}

output "schema_registry_secret_arn" {
  description = "Secret with the registry's basic-auth user_info."
  value       = aws_secretsmanager_secret.registry.arn
}

output "secrets_kms_key_arn" {
  description = "Key that encrypts both secrets; readers need kms:Decrypt on it."
  value       = aws_kms_key.secrets.arn
}

output "security_group_id" {
  description = "Security group of the brokers and the registry."
  value       = aws_security_group.kafka.id
}
