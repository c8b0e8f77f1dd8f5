# A small installation as the original system ran: KRaft Kafka on ECS, one Elasticsearch node, one NAT gateway.
environment            = "staging"
region                 = "eu-west-1"
kafka_mode             = "ecs"
single_nat_gateway     = true
elasticsearch_nodes    = 1
elasticsearch_cpu      = 1024
elasticsearch_memory   = 4096
kibana_domain_name     = "kibana.staging.example.com"
kibana_certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555"
kibana_allowed_cidrs   = ["198.51.100.0/24"]
streams_image          = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/streams@sha256:0000000000000000000000000000000000000000000000000000000000000000"
connectors             = ["laravel", "elb"]
logs_file_system_id    = "fs-0abcdef0123456789"
elb_log_bucket         = "staging-alb-logs"
max_streams_tasks      = 2
log_retention_days     = 14
