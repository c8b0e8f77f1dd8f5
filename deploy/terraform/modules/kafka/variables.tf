variable "name" {
  description = "Name prefix of the Kafka resources."
  type        = string
}

variable "mode" {
  description = "msk for Amazon MSK, ecs for a three-node KRaft Kafka as ECS services."
  type        = string
  validation {
    condition     = contains(["msk", "ecs"], var.mode)
    error_message = "mode must be msk or ecs."
  }
}

variable "region" {
  description = "AWS region, for the log configuration."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the brokers."
  type        = string
}

variable "vpc_cidr_block" {
  description = "Clients allowed to reach the brokers and the registry."
  type        = string
}

variable "private_subnet_ids" {
  description = "The two private subnets."
  type        = list(string)
}

variable "cluster_arn" {
  description = "ECS cluster of the KRaft brokers and the schema registry."
  type        = string
}

variable "namespace_id" {
  description = "Cloud Map namespace the brokers and the registry register in."
  type        = string
}

variable "namespace_name" {
  description = "DNS name of that namespace."
  type        = string
}

variable "execution_role_arn" {
  description = "Task execution role of the broker and registry tasks."
  type        = string
}

variable "execution_role_name" {
  description = "Name of that role, to grant it the credentials secrets."
  type        = string
}

variable "kafka_version" {
  description = "Kafka version of the MSK cluster."
  type        = string
}

variable "msk_broker_count" {
  description = "MSK brokers, a multiple of the two zones."
  type        = number
}

variable "msk_instance_type" {
  description = "MSK broker instance type."
  type        = string
}

variable "broker_volume_gib" {
  description = "EBS storage per MSK broker."
  type        = number
}

variable "kafka_image" {
  description = "Image of the KRaft brokers (ecs mode)."
  type        = string
}

variable "kraft_cluster_id" {
  description = "KRaft cluster id (22 characters of base64url), fixed for the cluster's life (ecs mode)."
  type        = string
}

variable "schema_registry_image" {
  description = "Confluent Schema Registry image."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the brokers' and registry's logs."
  type        = number
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
}
