variable "name" {
  description = "Name prefix of the network's resources."
  type        = string
}

variable "region" {
  description = "AWS region, for the S3 gateway endpoint's service name."
  type        = string
}

variable "cidr_block" {
  description = "The VPC's IPv4 block; subnets are /20s carved from a /16."
  type        = string
  validation {
    condition     = can(cidrhost(var.cidr_block, 0)) && tonumber(split("/", var.cidr_block)[1]) == 16
    error_message = "cidr_block must be an IPv4 /16 such as 10.40.0.0/16."
  }
}

variable "single_nat_gateway" {
  description = "One NAT gateway for both private subnets (cheaper) instead of one per zone (survives a zone outage)."
  type        = bool
}

variable "tags" {
  description = "Tags added to every resource."
  type        = map(string)
}
