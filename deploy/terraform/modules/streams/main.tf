# The Streams services: the topology, one service per enabled connector and the sink, all from the one image.
# Each task definition is deploy/ecs/<service>.json (the file CI checks against the application), filled in with
# templatefile(); this module adds what only Terraform knows: roles, log groups, autoscaling and alarms.

locals {
  connectors = [for c in var.connectors : "connect-${c}"]
  services   = concat(["topology"], local.connectors, ["sink"])
  # Topology and sink scale with their consumer lag, never past the partitions they read; a connector runs alone.
  scaled = {
    topology = { max = min(var.max_tasks, var.raw_partitions) }
    sink     = { max = min(var.max_tasks, var.curated_partitions) }
  }
  template_vars = {
    name_prefix                      = var.name
    image                            = var.image
    region                           = var.region
    execution_role_arn               = var.execution_role_arn
    log_group                        = aws_cloudwatch_log_group.streams.name
    log_level                        = var.log_level
    bootstrap_servers                = var.bootstrap_servers
    kafka_security_protocol          = var.kafka_security_protocol
    kafka_sasl_mechanism             = var.kafka_sasl_mechanism
    kafka_credentials_secret_arn     = var.kafka_credentials_secret_arn
    schema_registry_url              = var.schema_registry_url
    schema_registry_secret_arn       = var.schema_registry_secret_arn
    curation_timezone                = var.curation_timezone
    elasticsearch_url                = var.elasticsearch_url
    elasticsearch_api_key_secret_arn = var.elasticsearch_api_key_secret_arn
    mysql_server_name                = var.mysql_server_name
    mysql_secret_arn                 = var.mysql_secret_arn
    logs_file_system_id              = var.logs_file_system_id
    laravel_host                     = var.laravel_host
    elb_log_bucket                   = var.elb_log_bucket
    elb_log_prefix                   = var.elb_log_prefix
  }
  definitions = {
    for s in local.services : s => jsondecode(templatefile("${var.task_definitions_dir}/${s}.json", merge(local.template_vars, { task_role_arn = aws_iam_role.task[s].arn })))
  }
}

resource "aws_cloudwatch_log_group" "streams" {
  name              = "/${var.name}/streams"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

resource "aws_security_group" "streams" {
  name        = "${var.name}-streams"
  description = "Streams tasks: outbound to Kafka, the registry, Elasticsearch and AWS; /metrics from inside the VPC"
  vpc_id      = var.vpc_id
  ingress {
    description = "Health and metrics"
    from_port   = 8080
    to_port     = 8080
    protocol    = "tcp"
    cidr_blocks = [var.vpc_cidr_block]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
  tags = var.tags
}

# ---- IAM: one task role per service. Only the ELB connector's may do anything: read the load balancer log bucket.
resource "aws_iam_role" "task" {
  for_each = toset(local.services)
  name     = "${var.name}-${each.key}-task"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { ArnLike = { "aws:SourceArn" = "arn:aws:ecs:${var.region}:${var.account_id}:*" } }
    }]
  })
  tags = var.tags
}

resource "aws_iam_role_policy" "elb_logs" {
  count = contains(var.connectors, "elb") ? 1 : 0
  name  = "read-elb-access-logs"
  role  = aws_iam_role.task["connect-elb"].id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect    = "Allow"
        Action    = ["s3:ListBucket"]
        Resource  = ["arn:aws:s3:::${var.elb_log_bucket}"]
        Condition = { StringLike = { "s3:prefix" = ["${var.elb_log_prefix}*"] } }
      },
      {
        Effect   = "Allow"
        Action   = ["s3:GetObject"]
        Resource = ["arn:aws:s3:::${var.elb_log_bucket}/${var.elb_log_prefix}*"]
      },
    ]
  })
}

# The execution role injects the secrets the task definitions name.
resource "aws_iam_role_policy" "execution_secrets" {
  name = "${var.name}-streams-secrets"
  role = var.execution_role_name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["secretsmanager:GetSecretValue"]
        Resource = compact([var.kafka_credentials_secret_arn, var.schema_registry_secret_arn, var.elasticsearch_api_key_secret_arn, var.mysql_secret_arn])
      },
      { Effect = "Allow", Action = ["kms:Decrypt"], Resource = [var.secrets_kms_key_arn] },
    ]
  })
}

# ---- the services
resource "aws_ecs_task_definition" "service" {
  for_each                 = local.definitions
  family                   = each.value.family
  cpu                      = each.value.cpu
  memory                   = each.value.memory
  network_mode             = each.value.networkMode
  requires_compatibilities = each.value.requiresCompatibilities
  execution_role_arn       = each.value.executionRoleArn
  task_role_arn            = each.value.taskRoleArn
  container_definitions    = jsonencode(each.value.containerDefinitions)
  runtime_platform {
    operating_system_family = each.value.runtimePlatform.operatingSystemFamily
    cpu_architecture        = each.value.runtimePlatform.cpuArchitecture
  }
  dynamic "ephemeral_storage" {
    for_each = can(each.value.ephemeralStorage) ? [each.value.ephemeralStorage] : []
    content {
      size_in_gib = ephemeral_storage.value.sizeInGiB
    }
  }
  dynamic "volume" {
    for_each = each.value.volumes
    content {
      name = volume.value.name
      dynamic "efs_volume_configuration" {
        for_each = can(volume.value.efsVolumeConfiguration) ? [volume.value.efsVolumeConfiguration] : []
        content {
          file_system_id     = efs_volume_configuration.value.fileSystemId
          root_directory     = efs_volume_configuration.value.rootDirectory
          transit_encryption = efs_volume_configuration.value.transitEncryption
        }
      }
    }
  }
  tags = var.tags
}

resource "aws_ecs_service" "service" {
  for_each        = aws_ecs_task_definition.service
  name            = each.key
  cluster         = var.cluster_arn
  task_definition = each.value.arn
  desired_count   = 1
  launch_type     = "FARGATE"
  # The stream task stops within its close timeout; ECS waits stopTimeout (120 s) before SIGKILL.
  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  enable_execute_command             = false
  network_configuration {
    subnets         = var.private_subnet_ids
    security_groups = [aws_security_group.streams.id]
  }
  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }
  # Autoscaling owns the count after the first deployment.
  lifecycle {
    ignore_changes = [desired_count]
  }
  tags = var.tags
}

# ---- autoscaling on consumer lag (published by the CloudWatch agent from each task's /metrics)
resource "aws_appautoscaling_target" "scaled" {
  for_each           = local.scaled
  service_namespace  = "ecs"
  resource_id        = "service/${var.cluster_name}/${aws_ecs_service.service[each.key].name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = 1
  max_capacity       = each.value.max
}

resource "aws_appautoscaling_policy" "scale_out" {
  for_each           = local.scaled
  name               = "${var.name}-${each.key}-lag-out"
  policy_type        = "StepScaling"
  service_namespace  = aws_appautoscaling_target.scaled[each.key].service_namespace
  resource_id        = aws_appautoscaling_target.scaled[each.key].resource_id
  scalable_dimension = aws_appautoscaling_target.scaled[each.key].scalable_dimension
  step_scaling_policy_configuration {
    adjustment_type         = "ChangeInCapacity"
    cooldown                = 300
    metric_aggregation_type = "Maximum"
    step_adjustment {
      metric_interval_lower_bound = 0
      scaling_adjustment          = 1
    }
  }
}

resource "aws_appautoscaling_policy" "scale_in" {
  for_each           = local.scaled
  name               = "${var.name}-${each.key}-lag-in"
  policy_type        = "StepScaling"
  service_namespace  = aws_appautoscaling_target.scaled[each.key].service_namespace
  resource_id        = aws_appautoscaling_target.scaled[each.key].resource_id
  scalable_dimension = aws_appautoscaling_target.scaled[each.key].scalable_dimension
  step_scaling_policy_configuration {
    adjustment_type         = "ChangeInCapacity"
    cooldown                = 600
    metric_aggregation_type = "Maximum"
    step_adjustment {
      metric_interval_upper_bound = 0
      scaling_adjustment          = -1
    }
  }
}

locals {
  lag_metric = { topology = "streams_consumer_lag", sink = "sink_consumer_lag" }
  dlq_metric = { topology = "streams_records_dead_lettered_total", sink = "sink_records_dead_lettered_total" }
}

resource "aws_cloudwatch_metric_alarm" "lag_high" {
  for_each            = local.scaled
  alarm_name          = "${var.name}-${each.key}-lag-high"
  alarm_description   = "Consumer lag of ${each.key} above ${var.lag_scale_out_threshold} records: add a task (up to the partition count)"
  namespace           = var.metrics_namespace
  metric_name         = local.lag_metric[each.key]
  dimensions          = { ClusterName = var.cluster_name, TaskDefinitionFamily = "${var.name}-${each.key}" }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 3
  threshold           = var.lag_scale_out_threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = concat([aws_appautoscaling_policy.scale_out[each.key].arn], aws_sns_topic.alarms[*].arn)
  ok_actions          = aws_sns_topic.alarms[*].arn
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "lag_low" {
  for_each            = local.scaled
  alarm_name          = "${var.name}-${each.key}-lag-low"
  alarm_description   = "Consumer lag of ${each.key} low for 15 minutes: remove a task"
  namespace           = var.metrics_namespace
  metric_name         = local.lag_metric[each.key]
  dimensions          = { ClusterName = var.cluster_name, TaskDefinitionFamily = "${var.name}-${each.key}" }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 3
  threshold           = floor(var.lag_scale_out_threshold / 10)
  comparison_operator = "LessThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = [aws_appautoscaling_policy.scale_in[each.key].arn]
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "dlq_rate" {
  for_each            = local.dlq_metric
  alarm_name          = "${var.name}-${each.key}-dlq-rate"
  alarm_description   = "${each.key} dead-letters more than ${var.dlq_rate_threshold} records a minute"
  evaluation_periods  = 5
  datapoints_to_alarm = 3
  threshold           = var.dlq_rate_threshold
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  metric_query {
    id          = "per_minute"
    expression  = "RATE(dead) * 60"
    label       = "dead-lettered per minute"
    return_data = true
  }
  metric_query {
    id = "dead"
    metric {
      namespace   = var.metrics_namespace
      metric_name = each.value
      dimensions  = { ClusterName = var.cluster_name, TaskDefinitionFamily = "${var.name}-${each.key}" }
      period      = 60
      stat        = "Sum"
    }
  }
  alarm_actions = aws_sns_topic.alarms[*].arn
  ok_actions    = aws_sns_topic.alarms[*].arn
  tags          = var.tags
}

resource "aws_sns_topic" "alarms" {
  count = var.alarm_email == null ? 0 : 1
  name  = "${var.name}-streams-alarms"
  tags  = var.tags
}

resource "aws_sns_topic_subscription" "alarms" {
  count     = var.alarm_email == null ? 0 : 1
  topic_arn = aws_sns_topic.alarms[0].arn
  protocol  = "email"
  endpoint  = var.alarm_email
}
