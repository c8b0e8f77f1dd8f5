variable "name" {
  description = "Name prefix; task definition families are <name>-<service>."
  type        = string
}

variable "region" {
  description = "AWS region."
  type        = string
}

variable "account_id" {
  description = "AWS account, to scope the task roles' trust to this account's ECS."
  type        = string
}

variable "image" {
  description = "The Streams image (deploy/docker/Dockerfile), by digest or immutable tag."
  type        = string
}

variable "task_definitions_dir" {
  description = "Directory of the task definition templates (deploy/ecs)."
  type        = string
}

variable "connectors" {
  description = "Source connectors to run, one service each."
  type        = list(string)
}

variable "vpc_id" {
  description = "VPC of the tasks."
  type        = string
}

variable "vpc_cidr_block" {
  description = "Where /metrics may be scraped from."
  type        = string
}

variable "private_subnet_ids" {
  description = "Subnets of the tasks."
  type        = list(string)
}

variable "cluster_arn" {
  description = "ECS cluster of the services."
  type        = string
}

variable "cluster_name" {
  description = "Name of that cluster (autoscaling resource ids, metric dimensions)."
  type        = string
}

variable "execution_role_arn" {
  description = "Task execution role."
  type        = string
}

variable "execution_role_name" {
  description = "Name of that role, to grant it the secrets the tasks name."
  type        = string
}

variable "bootstrap_servers" {
  description = "Kafka bootstrap servers."
  type        = string
}

variable "kafka_security_protocol" {
  description = "security.protocol of every Kafka client."
  type        = string
}

variable "kafka_sasl_mechanism" {
  description = "sasl.mechanisms of every Kafka client."
  type        = string
}

variable "kafka_credentials_secret_arn" {
  description = "Secret with the Kafka username and password."
  type        = string
}

variable "schema_registry_url" {
  description = "Schema registry URL."
  type        = string
}

variable "schema_registry_secret_arn" {
  description = "Secret with the registry's basic-auth user_info."
  type        = string
}

variable "secrets_kms_key_arn" {
  description = "Key encrypting the Kafka and registry secrets."
  type        = string
}

variable "elasticsearch_url" {
  description = "Elasticsearch URL the sink writes to."
  type        = string
}

variable "elasticsearch_api_key_secret_arn" {
  description = "Secret with the sink's API key."
  type        = string
}

variable "curation_timezone" {
  description = "IANA zone of sources that log local time without an offset."
  type        = string
}

variable "mysql_server_name" {
  description = "Name the MySQL connector gives its server in record keys."
  type        = string
}

variable "mysql_secret_arn" {
  description = "Secret with the MySQL connection string (JSON key connection_string)."
  type        = string
}

variable "logs_file_system_id" {
  description = "EFS file system holding the MongoDB and Laravel log files."
  type        = string
}

variable "laravel_host" {
  description = "Host name the Laravel connector records as the origin of its files."
  type        = string
}

variable "elb_log_bucket" {
  description = "S3 bucket of the load balancer access logs."
  type        = string
}

variable "elb_log_prefix" {
  description = "Key prefix of the access logs in that bucket."
  type        = string
}

variable "raw_partitions" {
  description = "Partitions of the raw.<source> topics (topics.yaml): the topology never runs more tasks."
  type        = number
}

variable "curated_partitions" {
  description = "Partitions of the curated.<source> topics (topics.yaml): the sink never runs more tasks."
  type        = number
}

variable "max_tasks" {
  description = "Upper bound on tasks per scaled service, below the partition cap."
  type        = number
}

variable "lag_scale_out_threshold" {
  description = "Total consumer lag (records) above which a service gets another task."
  type        = number
}

variable "dlq_rate_threshold" {
  description = "Dead-lettered records per minute that raise the DLQ alarm."
  type        = number
}

variable "metrics_namespace" {
  description = "CloudWatch namespace the agent publishes the Prometheus metrics under."
  type        = string
}

variable "cloudwatch_agent_image" {
  description = "CloudWatch agent image."
  type        = string
}

variable "log_level" {
  description = "log.level of the services."
  type        = string
}

variable "log_retention_days" {
  description = "Retention of the services' logs."
  type        = number
}

variable "alarm_email" {
  description = "Address that receives the alarms, or null for none."
  type        = string
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
}
