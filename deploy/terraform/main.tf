# The Streams pipeline on AWS: network, ECS cluster, Kafka (MSK or KRaft on ECS) with a schema registry,
# Elasticsearch and Kibana, and the Streams services (topology, connectors, sink) from one image.

data "aws_caller_identity" "current" {}

locals {
  tags = merge(var.tags, { Project = "streams", Environment = var.environment })
  name = "${var.name}-${var.environment}"
}

module "network" {
  source             = "./modules/network"
  name               = local.name
  region             = var.region
  cidr_block         = var.vpc_cidr_block
  single_nat_gateway = var.single_nat_gateway
  tags               = local.tags
}

module "ecs_cluster" {
  source             = "./modules/ecs-cluster"
  name               = local.name
  vpc_id             = module.network.vpc_id
  namespace          = var.service_namespace
  container_insights = var.container_insights
  tags               = local.tags
}

module "kafka" {
  source                = "./modules/kafka"
  name                  = local.name
  mode                  = var.kafka_mode
  region                = var.region
  vpc_id                = module.network.vpc_id
  vpc_cidr_block        = module.network.vpc_cidr_block
  private_subnet_ids    = module.network.private_subnet_ids
  cluster_arn           = module.ecs_cluster.cluster_arn
  namespace_id          = module.ecs_cluster.namespace_id
  namespace_name        = module.ecs_cluster.namespace_name
  execution_role_arn    = module.ecs_cluster.execution_role_arn
  execution_role_name   = module.ecs_cluster.execution_role_name
  kafka_version         = var.msk_kafka_version
  msk_broker_count      = var.msk_broker_count
  msk_instance_type     = var.msk_instance_type
  broker_volume_gib     = var.msk_broker_volume_gib
  kafka_image           = var.kafka_image
  kraft_cluster_id      = var.kraft_cluster_id
  schema_registry_image = var.schema_registry_image
  log_retention_days    = var.log_retention_days
  tags                  = local.tags
}

module "elastic" {
  source                 = "./modules/elastic"
  name                   = local.name
  region                 = var.region
  vpc_id                 = module.network.vpc_id
  vpc_cidr_block         = module.network.vpc_cidr_block
  public_subnet_ids      = module.network.public_subnet_ids
  private_subnet_ids     = module.network.private_subnet_ids
  cluster_arn            = module.ecs_cluster.cluster_arn
  namespace_id           = module.ecs_cluster.namespace_id
  namespace_name         = module.ecs_cluster.namespace_name
  execution_role_arn     = module.ecs_cluster.execution_role_arn
  execution_role_name    = module.ecs_cluster.execution_role_name
  elasticsearch_image    = var.elasticsearch_image
  kibana_image           = var.kibana_image
  elasticsearch_nodes    = var.elasticsearch_nodes
  elasticsearch_cpu      = var.elasticsearch_cpu
  elasticsearch_memory   = var.elasticsearch_memory
  kibana_certificate_arn = var.kibana_certificate_arn
  kibana_domain_name     = var.kibana_domain_name
  kibana_allowed_cidrs   = var.kibana_allowed_cidrs
  sink_api_key           = var.elasticsearch_sink_api_key
  log_retention_days     = var.log_retention_days
  tags                   = local.tags
}

module "streams" {
  source                           = "./modules/streams"
  name                             = local.name
  region                           = var.region
  account_id                       = data.aws_caller_identity.current.account_id
  image                            = var.streams_image
  task_definitions_dir             = "${path.root}/../ecs"
  connectors                       = var.connectors
  vpc_id                           = module.network.vpc_id
  vpc_cidr_block                   = module.network.vpc_cidr_block
  private_subnet_ids               = module.network.private_subnet_ids
  cluster_arn                      = module.ecs_cluster.cluster_arn
  cluster_name                     = module.ecs_cluster.cluster_name
  execution_role_arn               = module.ecs_cluster.execution_role_arn
  execution_role_name              = module.ecs_cluster.execution_role_name
  bootstrap_servers                = module.kafka.bootstrap_servers
  kafka_security_protocol          = module.kafka.security_protocol
  kafka_sasl_mechanism             = module.kafka.sasl_mechanism
  kafka_credentials_secret_arn     = module.kafka.credentials_secret_arn
  schema_registry_url              = module.kafka.schema_registry_url
  schema_registry_secret_arn       = module.kafka.schema_registry_secret_arn
  secrets_kms_key_arn              = module.kafka.secrets_kms_key_arn
  elasticsearch_url                = module.elastic.elasticsearch_url
  elasticsearch_api_key_secret_arn = module.elastic.sink_api_key_secret_arn
  curation_timezone                = var.curation_timezone
  mysql_server_name                = var.mysql_server_name
  mysql_secret_arn                 = var.mysql_secret_arn
  logs_file_system_id              = var.logs_file_system_id
  laravel_host                     = var.laravel_host
  elb_log_bucket                   = var.elb_log_bucket
  elb_log_prefix                   = var.elb_log_prefix
  raw_partitions                   = var.raw_partitions
  curated_partitions               = var.curated_partitions
  max_tasks                        = var.max_streams_tasks
  lag_scale_out_threshold          = var.lag_scale_out_threshold
  dlq_rate_threshold               = var.dlq_rate_threshold
  metrics_namespace                = var.metrics_namespace
  cloudwatch_agent_image           = var.cloudwatch_agent_image
  log_level                        = var.log_level
  log_retention_days               = var.log_retention_days
  alarm_email                      = var.alarm_email
  tags                             = local.tags
}
