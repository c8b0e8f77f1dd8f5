variable "name" {
  description = "Name prefix of the Elasticsearch and Kibana resources."
  type        = string
}

variable "region" {
  description = "AWS region, for the log configuration."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the services and the load balancer."
  type        = string
}

variable "vpc_cidr_block" {
  description = "Clients allowed to reach Elasticsearch."
  type        = string
}

variable "public_subnet_ids" {
  description = "Subnets of Kibana's load balancer."
  type        = list(string)
}

variable "private_subnet_ids" {
  description = "Subnets of the tasks and the EFS mount targets."
  type        = list(string)
}

variable "cluster_arn" {
  description = "ECS cluster of the services."
  type        = string
}

variable "namespace_id" {
  description = "Cloud Map namespace Elasticsearch registers in."
  type        = string
}

variable "namespace_name" {
  description = "DNS name of that namespace."
  type        = string
}

variable "execution_role_arn" {
  description = "Task execution role of the Elasticsearch and Kibana tasks."
  type        = string
}

variable "execution_role_name" {
  description = "Name of that role, to grant it the Elasticsearch secrets."
  type        = string
}

variable "elasticsearch_image" {
  description = "Elasticsearch image."
  type        = string
}

variable "kibana_image" {
  description = "Kibana image."
  type        = string
}

variable "elasticsearch_nodes" {
  description = "Elasticsearch nodes (1, or 3 for a cluster that survives losing one)."
  type        = number
}

variable "elasticsearch_cpu" {
  description = "CPU units per Elasticsearch task."
  type        = number
}

variable "elasticsearch_memory" {
  description = "Memory (MiB) per Elasticsearch task; half of it is the JVM heap."
  type        = number
}

variable "kibana_certificate_arn" {
  description = "ACM certificate of Kibana's domain name."
  type        = string
}

variable "kibana_domain_name" {
  description = "Public name of Kibana (a DNS record pointing at the load balancer is the operator's)."
  type        = string
}

variable "kibana_allowed_cidrs" {
  description = "Networks allowed to reach Kibana."
  type        = list(string)
}

variable "sink_api_key" {
  description = "The sink's Elasticsearch API key (base64), or null to put it into the secret after creating it in Kibana."
  type        = string
  sensitive   = true
}

variable "log_retention_days" {
  description = "Retention of the services' logs."
  type        = number
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
}
