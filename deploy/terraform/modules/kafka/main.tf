# Kafka for the pipeline, either Amazon MSK (SASL/SCRAM over TLS) or, as the original system ran, a three-node
# KRaft cluster as ECS services (plaintext inside the private subnets, fenced by a security group). Both come
# with a Confluent Schema Registry service on ECS behind basic authentication.

locals {
  msk               = var.mode == "msk" ? 1 : 0
  ecs               = var.mode == "ecs" ? 1 : 0
  broker_names      = [for i in range(3) : "kafka-${i}"]
  ecs_bootstrap     = join(",", [for n in local.broker_names : "${n}.${var.namespace_name}:9092"])
  bootstrap_servers = var.mode == "msk" ? one(aws_msk_cluster.this[*].bootstrap_brokers_sasl_scram) : local.ecs_bootstrap
  security_protocol = var.mode == "msk" ? "SASL_SSL" : "PLAINTEXT"
  sasl_mechanism    = "SCRAM-SHA-512"
  registry_url      = "http://schema-registry.${var.namespace_name}:8081"
  quorum_voters     = join(",", [for i, n in local.broker_names : "${i}@${n}.${var.namespace_name}:9093"])
}

resource "aws_security_group" "kafka" {
  name        = "${var.name}-kafka"
  description = "Kafka brokers and the schema registry, reachable from inside the VPC only"
  vpc_id      = var.vpc_id
  ingress {
    description = "Kafka clients and KRaft controllers"
    from_port   = 9092
    to_port     = 9098
    protocol    = "tcp"
    cidr_blocks = [var.vpc_cidr_block]
  }
  ingress {
    description = "Schema Registry"
    from_port   = 8081
    to_port     = 8081
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

# ---- credentials: MSK reads SCRAM secrets only when they are named AmazonMSK_* and encrypted with a customer key.
resource "aws_kms_key" "secrets" {
  description             = "Kafka and schema registry credentials of ${var.name}"
  deletion_window_in_days = 7
  enable_key_rotation     = true
  tags                    = var.tags
}

resource "random_password" "kafka" {
  length  = 32
  special = false
}

resource "aws_secretsmanager_secret" "kafka" {
  name       = "AmazonMSK_${var.name}-streams"
  kms_key_id = aws_kms_key.secrets.arn
  tags       = var.tags
}

resource "aws_secretsmanager_secret_version" "kafka" {
  secret_id     = aws_secretsmanager_secret.kafka.id
  secret_string = jsonencode({ username = "streams", password = random_password.kafka.result })
}

resource "random_password" "registry" {
  length  = 32
  special = false
}

resource "aws_secretsmanager_secret" "registry" {
  name       = "${var.name}-schema-registry"
  kms_key_id = aws_kms_key.secrets.arn
  tags       = var.tags
}

resource "aws_secretsmanager_secret_version" "registry" {
  secret_id = aws_secretsmanager_secret.registry.id
  secret_string = jsonencode({
    username        = "streams"
    password        = random_password.registry.result
    user_info       = "streams:${random_password.registry.result}"
    kafkastore_jaas = var.mode == "msk" ? "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"streams\" password=\"${random_password.kafka.result}\";" : ""
  })
}

resource "aws_iam_role_policy" "execution_secrets" {
  name = "${var.name}-kafka-secrets"
  role = var.execution_role_name
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["secretsmanager:GetSecretValue"], Resource = [aws_secretsmanager_secret.kafka.arn, aws_secretsmanager_secret.registry.arn] },
      { Effect = "Allow", Action = ["kms:Decrypt"], Resource = [aws_kms_key.secrets.arn] },
    ]
  })
}

# ---- Amazon MSK
resource "aws_msk_configuration" "this" {
  count          = local.msk
  name           = "${var.name}-streams"
  kafka_versions = [var.kafka_version]
  server_properties = join("\n", [
    "auto.create.topics.enable=false",
    "default.replication.factor=${min(3, var.msk_broker_count)}",
    "min.insync.replicas=${min(2, var.msk_broker_count)}",
    "transaction.state.log.replication.factor=${min(3, var.msk_broker_count)}",
    "transaction.state.log.min.isr=${min(2, var.msk_broker_count)}",
  ])
}

resource "aws_msk_cluster" "this" {
  count                  = local.msk
  cluster_name           = "${var.name}-streams"
  kafka_version          = var.kafka_version
  number_of_broker_nodes = var.msk_broker_count
  broker_node_group_info {
    instance_type   = var.msk_instance_type
    client_subnets  = var.private_subnet_ids
    security_groups = [aws_security_group.kafka.id]
    storage_info {
      ebs_storage_info {
        volume_size = var.broker_volume_gib
      }
    }
  }
  configuration_info {
    arn      = aws_msk_configuration.this[0].arn
    revision = aws_msk_configuration.this[0].latest_revision
  }
  client_authentication {
    sasl {
      scram = true
    }
  }
  encryption_info {
    encryption_in_transit {
      client_broker = "TLS"
      in_cluster    = true
    }
  }
  # Per-partition consumer lag (SumOffsetLag, MaxOffsetLag) in CloudWatch as well.
  enhanced_monitoring = "PER_TOPIC_PER_PARTITION"
  tags                = var.tags
}

resource "aws_msk_scram_secret_association" "this" {
  count           = local.msk
  cluster_arn     = aws_msk_cluster.this[0].arn
  secret_arn_list = [aws_secretsmanager_secret.kafka.arn]
  depends_on      = [aws_secretsmanager_secret_version.kafka]
}

# ---- KRaft Kafka on ECS: three combined broker/controller nodes, each with its own EFS access point for its log.
resource "aws_efs_file_system" "kafka" {
  count          = local.ecs
  creation_token = "${var.name}-kafka"
  encrypted      = true
  tags           = merge(var.tags, { Name = "${var.name}-kafka" })
}

resource "aws_security_group" "efs" {
  count       = local.ecs
  name        = "${var.name}-kafka-efs"
  description = "NFS from the Kafka brokers"
  vpc_id      = var.vpc_id
  ingress {
    from_port       = 2049
    to_port         = 2049
    protocol        = "tcp"
    security_groups = [aws_security_group.kafka.id]
  }
  tags = var.tags
}

resource "aws_efs_mount_target" "kafka" {
  count           = local.ecs * 2
  file_system_id  = aws_efs_file_system.kafka[0].id
  subnet_id       = var.private_subnet_ids[count.index]
  security_groups = [aws_security_group.efs[0].id]
}

resource "aws_efs_access_point" "broker" {
  count          = local.ecs * 3
  file_system_id = aws_efs_file_system.kafka[0].id
  posix_user {
    uid = 1000
    gid = 1000
  }
  root_directory {
    path = "/${local.broker_names[count.index]}"
    creation_info {
      owner_uid   = 1000
      owner_gid   = 1000
      permissions = "0750"
    }
  }
  tags = var.tags
}

resource "aws_service_discovery_service" "broker" {
  count = local.ecs * 3
  name  = local.broker_names[count.index]
  dns_config {
    namespace_id = var.namespace_id
    dns_records {
      type = "A"
      ttl  = 10
    }
  }
}

resource "aws_cloudwatch_log_group" "kafka" {
  name              = "/${var.name}/kafka"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

resource "aws_ecs_task_definition" "broker" {
  count                    = local.ecs * 3
  family                   = "${var.name}-${local.broker_names[count.index]}"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "1024"
  memory                   = "4096"
  execution_role_arn       = var.execution_role_arn
  volume {
    name = "data"
    efs_volume_configuration {
      file_system_id     = aws_efs_file_system.kafka[0].id
      transit_encryption = "ENABLED"
      authorization_config {
        access_point_id = aws_efs_access_point.broker[count.index].id
      }
    }
  }
  container_definitions = jsonencode([{
    name        = "kafka"
    image       = var.kafka_image
    essential   = true
    stopTimeout = 120
    portMappings = [
      { containerPort = 9092, protocol = "tcp" },
      { containerPort = 9093, protocol = "tcp" },
    ]
    environment = [
      { name = "KAFKA_NODE_ID", value = tostring(count.index) },
      { name = "CLUSTER_ID", value = var.kraft_cluster_id },
      { name = "KAFKA_PROCESS_ROLES", value = "broker,controller" },
      { name = "KAFKA_LISTENERS", value = "PLAINTEXT://:9092,CONTROLLER://:9093" },
      { name = "KAFKA_ADVERTISED_LISTENERS", value = "PLAINTEXT://${local.broker_names[count.index]}.${var.namespace_name}:9092" },
      { name = "KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", value = "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT" },
      { name = "KAFKA_CONTROLLER_LISTENER_NAMES", value = "CONTROLLER" },
      { name = "KAFKA_CONTROLLER_QUORUM_VOTERS", value = local.quorum_voters },
      { name = "KAFKA_LOG_DIRS", value = "/var/lib/kafka/data" },
      { name = "KAFKA_AUTO_CREATE_TOPICS_ENABLE", value = "false" },
      { name = "KAFKA_DEFAULT_REPLICATION_FACTOR", value = "3" },
      { name = "KAFKA_MIN_INSYNC_REPLICAS", value = "2" },
      { name = "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", value = "3" },
      { name = "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", value = "3" },
      { name = "KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", value = "2" },
    ]
    mountPoints = [{ sourceVolume = "data", containerPath = "/var/lib/kafka/data" }]
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        "awslogs-group"         = aws_cloudwatch_log_group.kafka.name
        "awslogs-region"        = var.region
        "awslogs-stream-prefix" = local.broker_names[count.index]
      }
    }
  }])
  tags = var.tags
}

resource "aws_ecs_service" "broker" {
  count           = local.ecs * 3
  name            = local.broker_names[count.index]
  cluster         = var.cluster_arn
  task_definition = aws_ecs_task_definition.broker[count.index].arn
  desired_count   = 1
  launch_type     = "FARGATE"
  # A broker is replaced, never doubled: two processes must not share its log directory.
  deployment_minimum_healthy_percent = 0
  deployment_maximum_percent         = 100
  network_configuration {
    subnets         = [var.private_subnet_ids[count.index % 2]]
    security_groups = [aws_security_group.kafka.id]
  }
  service_registries {
    registry_arn = aws_service_discovery_service.broker[count.index].arn
  }
  depends_on = [aws_efs_mount_target.kafka]
  tags       = var.tags
}

# ---- Schema Registry (both modes)
resource "aws_service_discovery_service" "registry" {
  name = "schema-registry"
  dns_config {
    namespace_id = var.namespace_id
    dns_records {
      type = "A"
      ttl  = 10
    }
  }
}

locals {
  # cp-schema-registry reads basic-auth users from a Jetty property file; both files are written at start from secrets.
  registry_start = <<-EOT
    printf 'SchemaRegistry {\n  org.eclipse.jetty.jaas.spi.PropertyFileLoginModule required file="/tmp/registry-users";\n};\n' > /tmp/registry-jaas.conf
    printf '%s: %s,admin\n' "$REGISTRY_USER" "$REGISTRY_PASSWORD" > /tmp/registry-users
    exec /etc/confluent/docker/run
  EOT
  registry_kafka_environment = var.mode == "msk" ? [
    { name = "SCHEMA_REGISTRY_KAFKASTORE_SECURITY_PROTOCOL", value = local.security_protocol },
    { name = "SCHEMA_REGISTRY_KAFKASTORE_SASL_MECHANISM", value = local.sasl_mechanism },
  ] : []
  registry_kafka_secrets = var.mode == "msk" ? [
    { name = "SCHEMA_REGISTRY_KAFKASTORE_SASL_JAAS_CONFIG", valueFrom = "${aws_secretsmanager_secret.registry.arn}:kafkastore_jaas::" },
  ] : []
}

resource "aws_ecs_task_definition" "registry" {
  family                   = "${var.name}-schema-registry"
  network_mode             = "awsvpc"
  requires_compatibilities = ["FARGATE"]
  cpu                      = "512"
  memory                   = "1024"
  execution_role_arn       = var.execution_role_arn
  container_definitions = jsonencode([{
    name         = "schema-registry"
    image        = var.schema_registry_image
    essential    = true
    command      = ["bash", "-c", local.registry_start]
    portMappings = [{ containerPort = 8081, protocol = "tcp" }]
    environment = concat([
      { name = "SCHEMA_REGISTRY_HOST_NAME", value = "schema-registry.${var.namespace_name}" },
      { name = "SCHEMA_REGISTRY_LISTENERS", value = "http://0.0.0.0:8081" },
      { name = "SCHEMA_REGISTRY_KAFKASTORE_BOOTSTRAP_SERVERS", value = local.bootstrap_servers },
      { name = "SCHEMA_REGISTRY_AUTHENTICATION_METHOD", value = "BASIC" },
      { name = "SCHEMA_REGISTRY_AUTHENTICATION_REALM", value = "SchemaRegistry" },
      { name = "SCHEMA_REGISTRY_AUTHENTICATION_ROLES", value = "admin" },
      { name = "SCHEMA_REGISTRY_OPTS", value = "-Djava.security.auth.login.config=/tmp/registry-jaas.conf" },
    ], local.registry_kafka_environment)
    secrets = concat([
      { name = "REGISTRY_USER", valueFrom = "${aws_secretsmanager_secret.registry.arn}:username::" },
      { name = "REGISTRY_PASSWORD", valueFrom = "${aws_secretsmanager_secret.registry.arn}:password::" },
    ], local.registry_kafka_secrets)
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        "awslogs-group"         = aws_cloudwatch_log_group.kafka.name
        "awslogs-region"        = var.region
        "awslogs-stream-prefix" = "schema-registry"
      }
    }
  }])
  tags = var.tags
}

resource "aws_ecs_service" "registry" {
  name            = "schema-registry"
  cluster         = var.cluster_arn
  task_definition = aws_ecs_task_definition.registry.arn
  desired_count   = 2
  launch_type     = "FARGATE"
  network_configuration {
    subnets         = var.private_subnet_ids
    security_groups = [aws_security_group.kafka.id]
  }
  service_registries {
    registry_arn = aws_service_discovery_service.registry.arn
  }
  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }
  depends_on = [aws_ecs_service.broker, aws_msk_cluster.this]
  tags       = var.tags
}
