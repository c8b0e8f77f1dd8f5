variable "name" {
  description = "Short name of the deployment; resources are named <name>-<environment>-..."
  type        = string
  default     = "streams"
  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,14}$", var.name))
    error_message = "name must be 2-15 lowercase letters, digits or dashes, starting with a letter (it prefixes load balancer names)."
  }
}

variable "environment" {
  description = "Environment name (prod, staging, ...)."
  type        = string
  validation {
    condition     = can(regex("^[a-z][a-z0-9]{1,9}$", var.environment))
    error_message = "environment must be 2-10 lowercase letters or digits."
  }
}

variable "region" {
  description = "AWS region to deploy into."
  type        = string
  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.region))
    error_message = "region must be an AWS region name such as eu-central-1."
  }
}

variable "tags" {
  description = "Extra tags on every resource."
  type        = map(string)
  default     = {}
}

variable "vpc_cidr_block" {
  description = "IPv4 /16 of the VPC."
  type        = string
  default     = "10.40.0.0/16"
  validation {
    condition     = can(cidrhost(var.vpc_cidr_block, 0))
    error_message = "vpc_cidr_block must be an IPv4 CIDR block."
  }
}

variable "single_nat_gateway" {
  description = "One NAT gateway instead of one per zone (cheaper, not zone-redundant)."
  type        = bool
  default     = false
}

variable "service_namespace" {
  description = "Private DNS namespace of the services (kafka-0.<namespace>, schema-registry.<namespace>, ...)."
  type        = string
  default     = "streams.internal"
}

variable "container_insights" {
  description = "Turn on CloudWatch Container Insights."
  type        = bool
  default     = true
}

variable "kafka_mode" {
  description = "msk: Amazon MSK with SASL/SCRAM over TLS; ecs: a three-node KRaft Kafka as ECS services (as the original system ran)."
  type        = string
  default     = "msk"
  validation {
    condition     = contains(["msk", "ecs"], var.kafka_mode)
    error_message = "kafka_mode must be msk or ecs."
  }
}

variable "msk_kafka_version" {
  description = "Kafka version of the MSK cluster."
  type        = string
  default     = "3.7.x"
}

variable "msk_broker_count" {
  description = "MSK brokers, spread over the two zones: an even number of at least 2 (4 or more keep three replicas of every partition)."
  type        = number
  default     = 4
  validation {
    condition     = var.msk_broker_count >= 2 && var.msk_broker_count % 2 == 0
    error_message = "msk_broker_count must be an even number of at least 2 (brokers are spread over two zones)."
  }
}

variable "msk_instance_type" {
  description = "MSK broker instance type."
  type        = string
  default     = "kafka.m7g.large"
  validation {
    condition     = startswith(var.msk_instance_type, "kafka.")
    error_message = "msk_instance_type must be an MSK instance type (kafka.*)."
  }
}

variable "msk_broker_volume_gib" {
  description = "EBS storage per MSK broker in GiB."
  type        = number
  default     = 500
  validation {
    condition     = var.msk_broker_volume_gib >= 1 && var.msk_broker_volume_gib <= 16384
    error_message = "msk_broker_volume_gib must be between 1 and 16384."
  }
}

variable "kafka_image" {
  description = "Kafka image for kafka_mode = ecs."
  type        = string
  default     = "apache/kafka:3.9.1"
}

variable "kraft_cluster_id" {
  description = "KRaft cluster id for kafka_mode = ecs: 22 base64url characters (kafka-storage random-uuid), fixed for the cluster's life."
  type        = string
  default     = "q1Sh-9_ISia_zwGINzRvyQ"
  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{22}$", var.kraft_cluster_id))
    error_message = "kraft_cluster_id must be 22 base64url characters."
  }
}

variable "schema_registry_image" {
  description = "Confluent Schema Registry image."
  type        = string
  default     = "confluentinc/cp-schema-registry:7.7.1"
}

variable "elasticsearch_image" {
  description = "Elasticsearch image."
  type        = string
  default     = "docker.elastic.co/elasticsearch/elasticsearch:8.15.3"
}

variable "kibana_image" {
  description = "Kibana image (same version as Elasticsearch)."
  type        = string
  default     = "docker.elastic.co/kibana/kibana:8.15.3"
}

variable "elasticsearch_nodes" {
  description = "Elasticsearch nodes: 1, or 3 to survive losing one."
  type        = number
  default     = 3
  validation {
    condition     = contains([1, 3], var.elasticsearch_nodes)
    error_message = "elasticsearch_nodes must be 1 or 3."
  }
}

variable "elasticsearch_cpu" {
  description = "CPU units per Elasticsearch task (1024 = one vCPU)."
  type        = number
  default     = 2048
  validation {
    condition     = contains([1024, 2048, 4096, 8192], var.elasticsearch_cpu)
    error_message = "elasticsearch_cpu must be 1024, 2048, 4096 or 8192."
  }
}

variable "elasticsearch_memory" {
  description = "Memory per Elasticsearch task in MiB (half of it is heap)."
  type        = number
  default     = 8192
  validation {
    condition     = var.elasticsearch_memory >= 4096 && var.elasticsearch_memory <= 61440
    error_message = "elasticsearch_memory must be between 4096 and 61440 MiB."
  }
}

variable "kibana_domain_name" {
  description = "Public DNS name of Kibana; point it at the kibana_load_balancer output."
  type        = string
  validation {
    condition     = can(regex("^([a-z0-9-]+\\.)+[a-z]{2,}$", var.kibana_domain_name))
    error_message = "kibana_domain_name must be a DNS name such as kibana.example.com."
  }
}

variable "kibana_certificate_arn" {
  description = "ACM certificate (same region) for kibana_domain_name."
  type        = string
  validation {
    condition     = can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/", var.kibana_certificate_arn))
    error_message = "kibana_certificate_arn must be an ACM certificate ARN."
  }
}

variable "kibana_allowed_cidrs" {
  description = "Networks that may reach Kibana (office, VPN)."
  type        = list(string)
  validation {
    condition     = length(var.kibana_allowed_cidrs) > 0 && alltrue([for c in var.kibana_allowed_cidrs : can(cidrhost(c, 0))])
    error_message = "kibana_allowed_cidrs must list at least one CIDR block."
  }
}

variable "elasticsearch_sink_api_key" {
  description = "The sink's Elasticsearch API key (base64 id:key), or null to store it in the secret after creating it in Kibana."
  type        = string
  default     = null
  sensitive   = true
}

variable "streams_image" {
  description = "The Streams image built from deploy/docker/Dockerfile, pushed to ECR (prefer a digest)."
  type        = string
  validation {
    condition     = can(regex("^[a-z0-9.-]+(:[0-9]+)?/[a-z0-9._/-]+(:[A-Za-z0-9._-]+|@sha256:[a-f0-9]{64})$", var.streams_image))
    error_message = "streams_image must be a registry/repository reference with a tag or digest."
  }
}

variable "connectors" {
  description = "Source connectors to run (one ECS service each)."
  type        = list(string)
  default     = ["mysql", "mongodb", "laravel", "elb"]
  validation {
    condition     = alltrue([for c in var.connectors : contains(["mysql", "mongodb", "laravel", "elb"], c)])
    error_message = "connectors may only name mysql, mongodb, laravel and elb."
  }
}

variable "curation_timezone" {
  description = "IANA zone of the sources that log local time without an offset (Laravel, MySQL log files)."
  type        = string
  default     = "UTC"
}

variable "mysql_server_name" {
  description = "Name the MySQL connector gives its server."
  type        = string
  default     = "mysql-primary"
}

variable "mysql_secret_arn" {
  description = "Existing Secrets Manager secret with JSON key connection_string for the MySQL connector's read-only user."
  type        = string
  default     = ""
  validation {
    condition     = var.mysql_secret_arn == "" || can(regex("^arn:aws[a-z-]*:secretsmanager:", var.mysql_secret_arn))
    error_message = "mysql_secret_arn must be a Secrets Manager ARN or empty."
  }
}

variable "logs_file_system_id" {
  description = "EFS file system (fs-...) where the MongoDB and Laravel hosts write their log files."
  type        = string
  default     = ""
  validation {
    condition     = var.logs_file_system_id == "" || can(regex("^fs-[0-9a-f]+$", var.logs_file_system_id))
    error_message = "logs_file_system_id must be an EFS id (fs-...) or empty."
  }
}

variable "laravel_host" {
  description = "Host name recorded as the origin of the Laravel log files."
  type        = string
  default     = "laravel"
}

variable "elb_log_bucket" {
  description = "S3 bucket with the load balancer access logs; the ELB connector's task role may read it and nothing else."
  type        = string
  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.elb_log_bucket))
    error_message = "elb_log_bucket must be an S3 bucket name."
  }
}

variable "elb_log_prefix" {
  description = "Key prefix of the access logs (e.g. AWSLogs/123456789012/elasticloadbalancing/)."
  type        = string
  default     = "AWSLogs/"
}

variable "raw_partitions" {
  description = "Partitions of raw.<source> in topics.yaml: the cap on topology tasks."
  type        = number
  default     = 6
  validation {
    condition     = var.raw_partitions >= 1
    error_message = "raw_partitions must be at least 1."
  }
}

variable "curated_partitions" {
  description = "Partitions of curated.<source> in topics.yaml: the cap on sink tasks."
  type        = number
  default     = 6
  validation {
    condition     = var.curated_partitions >= 1
    error_message = "curated_partitions must be at least 1."
  }
}

variable "max_streams_tasks" {
  description = "Most tasks autoscaling gives the topology or the sink (never more than their partitions)."
  type        = number
  default     = 6
  validation {
    condition     = var.max_streams_tasks >= 1 && var.max_streams_tasks <= 100
    error_message = "max_streams_tasks must be between 1 and 100."
  }
}

variable "lag_scale_out_threshold" {
  description = "Total consumer lag in records above which the topology or the sink gets another task."
  type        = number
  default     = 100000
  validation {
    condition     = var.lag_scale_out_threshold >= 100
    error_message = "lag_scale_out_threshold must be at least 100 records."
  }
}

variable "dlq_rate_threshold" {
  description = "Dead-lettered records per minute that raise an alarm."
  type        = number
  default     = 10
  validation {
    condition     = var.dlq_rate_threshold >= 0
    error_message = "dlq_rate_threshold must not be negative."
  }
}

variable "metrics_namespace" {
  description = "CloudWatch namespace of the scraped Prometheus metrics."
  type        = string
  default     = "Streams/Prometheus"
}

variable "cloudwatch_agent_image" {
  description = "CloudWatch agent image that scrapes /metrics."
  type        = string
  default     = "public.ecr.aws/cloudwatch-agent/cloudwatch-agent:1.300049.1b929"
}

variable "log_level" {
  description = "log.level of the Streams services."
  type        = string
  default     = "Information"
  validation {
    condition     = contains(["Trace", "Debug", "Information", "Warning", "Error", "Critical"], var.log_level)
    error_message = "log_level must be Trace, Debug, Information, Warning, Error or Critical."
  }
}

variable "log_retention_days" {
  description = "CloudWatch Logs retention in days."
  type        = number
  default     = 30
  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a value CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, ...)."
  }
}

variable "alarm_email" {
  description = "Address subscribed to the lag and DLQ alarms, or null."
  type        = string
  default     = null
}
