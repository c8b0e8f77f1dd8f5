output "vpc_id" {
  description = "The VPC."
  value       = aws_vpc.this.id
}

output "vpc_cidr_block" {
  description = "The VPC's block, for security group rules."
  value       = aws_vpc.this.cidr_block
}

output "public_subnet_ids" {
  description = "The two public subnets (load balancer, NAT)."
  value       = aws_subnet.public[*].id
}

output "private_subnet_ids" {
  description = "The two private subnets (every task, MSK, EFS)."
  value       = aws_subnet.private[*].id
}
