# Elasticsearch (single node or a small cluster of equal nodes, data on EFS) and Kibana as ECS services;
# Kibana is published through an internet-facing ALB with TLS, Elasticsearch stays private.

locals {
  es_host       = "elasticsearch.${var.namespace_name}"
  es_url        = "http://${local.es_host}:9200"
  es_node_names = [for i in range(var.elasticsearch_nodes) : "es-${i}"]
  discovery_type = var.elasticsearch_nodes == 1 ? [{ name = "discovery.type", value = "single-node" }] : [
    { name = "discovery.seed_hosts", value = local.es_host },
    { name = "cluster.initial_master_nodes", value = join(",", local.es_node_names) },
  ]
}

resource "aws_security_group" "elasticsearch" {
  name        = "${var.name}-elasticsearch"
  description = "Elasticsearch HTTP and transport from inside the VPC"
  vpc_id      = var.vpc_id
  ingress {
    from_port   = 9200
    to_port     = 9300
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

resource "aws_security_group" "alb" {
  name        = "${var.name}-kibana-alb"
  description = "HTTPS to Kibana from the allowed networks"
  vpc_id      = var.vpc_id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = var.kibana_allowed_cidrs
  }
  ingress {
    description = "Redirected to HTTPS"
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = var.kibana_allowed_cidrs
  }
  egress {
    from_port   = 5601
    to_port     = 5601
    protocol    = "tcp"
    cidr_blocks = [var.vpc_cidr_block]
  }
  tags = var.tags
}

resource "aws_security_group" "kibana" {
  name        = "${var.name}-kibana"
  description = "Kibana from its load balancer"
  vpc_id      = var.vpc_id
  ingress {
    from_port       = 5601
    to_port         = 5601
    protocol        = "tcp"
    security_groups = [aws_security_group.alb.id]
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
  tags = var.tags
}

# ---- data on EFS, one access point per node
resource "aws_efs_file_system" "data" {
  creation_token   = "${var.name}-elasticsearch"
  encrypted        = true
  performance_mode = "generalPurpose"
  throughput_mode  = "elastic"
  tags             = merge(var.tags, { Name = "${var.name}-elasticsearch" })
}

resource "aws_security_group" "efs" {
  name        = "${var.name}-elasticsearch-efs"
  description = "NFS from the Elasticsearch nodes"
  vpc_id      = var.vpc_id
  ingress {
    from_port       = 2049
    to_port         = 2049
    protocol        = "tcp"
    security_groups = [aws_security_group.elasticsearch.id]
  }
  tags = var.tags
}

resource "aws_efs_mount_target" "data" {
  count           = 2
  file_system_id  = aws_efs_file_system.data.id
  subnet_id       = var.private_subnet_ids[count.index]
  security_groups = [aws_security_group.efs.id]
}

resource "aws_efs_access_point" "node" {
  count          = var.elasticsearch_nodes
  file_system_id = aws_efs_file_system.data.id
  posix_user {
    uid = 1000
    gid = 0
  }
  root_directory {
    path = "/${local.es_node_names[count.index]}"
    creation_info {
      owner_uid   = 1000
      owner_gid   = 0
      permissions = "0770"
    }
  }
  tags = var.tags
}

# ---- credentials: the elastic superuser (Kibana's setup) and the sink's API key (created in Kibana, stored here)
resource "random_password" "elastic" {
  length  = 32
  special = false
}

resource "aws_secretsmanager_secret" "elastic" {
  name = "${var.name}-elastic-password"
  tags = var.tags
}

resource "aws_secretsmanager_secret_version" "elastic" {
  secret_id     = aws_secretsmanager_secret.elastic.id
  secret_string = random_password.elastic.result
}

resource "aws_secretsmanager_secret" "sink_api_key" {
  name        = "${var.name}-elasticsearch-sink-api-key"
  description = "Base64 API key of the sink (create_index, create_doc, manage_ilm on curated-*)"
  tags        = var.tags
}

resource "aws_secretsmanager_secret_version" "sink_api_key" {
  count         = var.sink_api_key == null ? 0 : 1
  secret_id     = aws_secretsmanager_secret.sink_api_key.id
  secret_string = var.sink_api_key
}

resource "aws_iam_role_policy" "execution_secrets" {
  name = "${var.name}-elastic-secrets"
  role = var.execution_role_name
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["secretsmanager:GetSecretValue"], Resource = [aws_secretsmanager_secret.elastic.arn, aws_secretsmanager_secret.sink_api_key.arn] }]
  })
}

resource "aws_cloudwatch_log_group" "elastic" {
  name              = "/${var.name}/elastic"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

# ---- Elasticsearch
resource "aws_service_discovery_service" "elasticsearch" {
  name = "elasticsearch"
  dns_config {
    namespace_id = var.namespace_id
    dns_records {
      type = "A"
      ttl  = 10
    }
  }
}

resource "aws_ecs_task_definition" "elasticsearch" {
  count                    = var.elasticsearch_nodes
  family                   = "${var.name}-${local.es_node_names[count.index]}"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = tostring(var.elasticsearch_cpu)
  memory                   = tostring(var.elasticsearch_memory)
  execution_role_arn       = var.execution_role_arn
  volume {
    name = "data"
    efs_volume_configuration {
      file_system_id     = aws_efs_file_system.data.id
      transit_encryption = "ENABLED"
      authorization_config {
        access_point_id = aws_efs_access_point.node[count.index].id
      }
    }
  }
  container_definitions = jsonencode([{
    name         = "elasticsearch"
    image        = var.elasticsearch_image
    essential    = true
    stopTimeout  = 120
    portMappings = [{ containerPort = 9200, protocol = "tcp" }, { containerPort = 9300, protocol = "tcp" }]
    environment = concat([
      { name = "node.name", value = local.es_node_names[count.index] },
      { name = "cluster.name", value = var.name },
      { name = "xpack.security.enabled", value = "true" },
      { name = "xpack.security.http.ssl.enabled", value = "false" },
      { name = "ES_JAVA_OPTS", value = "-Xms${floor(var.elasticsearch_memory / 2)}m -Xmx${floor(var.elasticsearch_memory / 2)}m" },
    ], local.discovery_type)
    secrets     = [{ name = "ELASTIC_PASSWORD", valueFrom = aws_secretsmanager_secret.elastic.arn }]
    mountPoints = [{ sourceVolume = "data", containerPath = "/usr/share/elasticsearch/data" }]
    ulimits     = [{ name = "nofile", softLimit = 65535, hardLimit = 65535 }]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        "awslogs-group"         = aws_cloudwatch_log_group.elastic.name
        "awslogs-region"        = var.region
        "awslogs-stream-prefix" = local.es_node_names[count.index]
      }
    }
  }])
  tags = var.tags
}

resource "aws_ecs_service" "elasticsearch" {
  count                              = var.elasticsearch_nodes
  name                               = local.es_node_names[count.index]
  cluster                            = var.cluster_arn
  task_definition                    = aws_ecs_task_definition.elasticsearch[count.index].arn
  desired_count                      = 1
  launch_type                        = "FARGATE"
  deployment_minimum_healthy_percent = 0
  deployment_maximum_percent         = 100
  network_configuration {
    subnets         = [var.private_subnet_ids[count.index % 2]]
    security_groups = [aws_security_group.elasticsearch.id]
  }
  service_registries {
    registry_arn = aws_service_discovery_service.elasticsearch.arn
  }
  depends_on = [aws_efs_mount_target.data]
  tags       = var.tags
}

# ---- Kibana behind the ALB
resource "aws_lb" "kibana" {
  name                       = "${var.name}-kibana"
  load_balancer_type         = "application"
  internal                   = false
  subnets                    = var.public_subnet_ids
  security_groups            = [aws_security_group.alb.id]
  drop_invalid_header_fields = true
  tags                       = var.tags
}

resource "aws_lb_target_group" "kibana" {
  name        = "${var.name}-kibana"
  port        = 5601
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = var.vpc_id
  health_check {
    path    = "/api/status"
    matcher = "200"
  }
  tags = var.tags
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.kibana.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = var.kibana_certificate_arn
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.kibana.arn
  }
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.kibana.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type = "redirect"
    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}

resource "aws_ecs_task_definition" "kibana" {
  family                   = "${var.name}-kibana"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "1024"
  memory                   = "2048"
  execution_role_arn       = var.execution_role_arn
  container_definitions = jsonencode([{
    name         = "kibana"
    image        = var.kibana_image
    essential    = true
    portMappings = [{ containerPort = 5601, protocol = "tcp" }]
    environment = [
      { name = "ELASTICSEARCH_HOSTS", value = local.es_url },
      { name = "ELASTICSEARCH_USERNAME", value = "kibana_system" },
      { name = "SERVER_PUBLICBASEURL", value = "https://${var.kibana_domain_name}" },
    ]
    secrets = [{ name = "ELASTICSEARCH_PASSWORD", valueFrom = aws_secretsmanager_secret.elastic.arn }]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        "awslogs-group"         = aws_cloudwatch_log_group.elastic.name
        "awslogs-region"        = var.region
        "awslogs-stream-prefix" = "kibana"
      }
    }
  }])
  tags = var.tags
}

resource "aws_ecs_service" "kibana" {
  name            = "kibana"
  cluster         = var.cluster_arn
  task_definition = aws_ecs_task_definition.kibana.arn
  desired_count   = 1
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = var.private_subnet_ids
    security_groups = [aws_security_group.kibana.id]
  }
  load_balancer {
    target_group_arn = aws_lb_target_group.kibana.arn
    container_name   = "kibana"
    container_port   = 5601
  }
  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }
  depends_on = [aws_lb_listener.https, aws_ecs_service.elasticsearch]
  tags       = var.tags
}
