variable "name" {
  description = "Cluster name."
  type        = string
}

variable "vpc_id" {
  description = "VPC of the private DNS namespace."
  type        = string
}

variable "namespace" {
  description = "Private DNS namespace the services register in (e.g. streams.internal)."
  type        = string
}

variable "container_insights" {
  description = "Turn on CloudWatch Container Insights for the cluster."
  type        = bool
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
}
