# The CloudWatch agent scrapes every Streams task's /metrics (found through the ECS_PROMETHEUS_* docker labels of
# deploy/ecs/*.json) and publishes the lag and dead-letter counters the alarms and the autoscaling read.

locals {
  agent_config = jsonencode({
    logs = {
      metrics_collected = {
        prometheus = {
          prometheus_config_path = "env:PROMETHEUS_CONFIG_CONTENT"
          ecs_service_discovery = {
            sd_frequency   = "1m"
            sd_result_file = "/tmp/cwagent_ecs_auto_sd.yaml"
            docker_label = {
              sd_port_label         = "ECS_PROMETHEUS_EXPORTER_PORT"
              sd_metrics_path_label = "ECS_PROMETHEUS_METRICS_PATH"
              sd_job_name_label     = "ECS_PROMETHEUS_JOB_NAME"
            }
          }
          emf_processor = {
            metric_namespace = var.metrics_namespace
            metric_declaration = [{
              source_labels    = ["job"]
              label_matcher    = "^streams$"
              dimensions       = [["ClusterName", "TaskDefinitionFamily"]]
              metric_selectors = ["^streams_consumer_lag$", "^sink_consumer_lag$", "^streams_records_dead_lettered_total$", "^sink_records_dead_lettered_total$", "^curation_records_dead_lettered_total$"]
            }]
          }
        }
      }
      force_flush_interval = 5
    }
  })
  prometheus_config = yamlencode({
    global         = { scrape_interval = "30s", scrape_timeout = "10s" }
    scrape_configs = [{ job_name = "streams", file_sd_configs = [{ files = ["/tmp/cwagent_ecs_auto_sd.yaml"] }] }]
  })
}

resource "aws_iam_role" "agent" {
  name = "${var.name}-cloudwatch-agent"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
  tags = var.tags
}

resource "aws_iam_role_policy" "agent" {
  name = "discover-and-publish"
  role = aws_iam_role.agent.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["ecs:ListTasks", "ecs:DescribeTasks", "ecs:DescribeContainerInstances"], Resource = "*", Condition = { ArnEquals = { "ecs:cluster" = var.cluster_arn } } },
      { Effect = "Allow", Action = ["ecs:DescribeTaskDefinition", "ec2:DescribeInstances"], Resource = "*" },
      { Effect = "Allow", Action = ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], Resource = "${aws_cloudwatch_log_group.metrics.arn}:*" },
      { Effect = "Allow", Action = ["logs:CreateLogGroup"], Resource = aws_cloudwatch_log_group.metrics.arn },
    ]
  })
}

resource "aws_cloudwatch_log_group" "metrics" {
  # The agent writes embedded-metric-format events here; CloudWatch extracts the metrics from them.
  name              = "/aws/ecs/containerinsights/${var.cluster_name}/prometheus"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

resource "aws_ecs_task_definition" "agent" {
  family                   = "${var.name}-cloudwatch-agent"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "256"
  memory                   = "512"
  execution_role_arn       = var.execution_role_arn
  task_role_arn            = aws_iam_role.agent.arn
  container_definitions = jsonencode([{
    name      = "cloudwatch-agent"
    image     = var.cloudwatch_agent_image
    essential = true
    environment = [
      { name = "CW_CONFIG_CONTENT", value = local.agent_config },
      { name = "PROMETHEUS_CONFIG_CONTENT", value = local.prometheus_config },
    ]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        "awslogs-group"         = aws_cloudwatch_log_group.streams.name
        "awslogs-region"        = var.region
        "awslogs-stream-prefix" = "cloudwatch-agent"
      }
    }
  }])
  tags = var.tags
}

resource "aws_ecs_service" "agent" {
  name            = "cloudwatch-agent"
  cluster         = var.cluster_arn
  task_definition = aws_ecs_task_definition.agent.arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = var.private_subnet_ids
    security_groups = [aws_security_group.streams.id]
  }
  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }
  tags = var.tags
}
