#!/usr/bin/perl
# Writes a MaxMind DB (GeoIP2-City or GeoLite2-ASN shaped) from a JSON description, with MaxMind's own writer
# (Debian: libmaxmind-db-writer-perl). Usage: write-mmdb.pl <description.json> <output.mmdb>
# The description: { "database_type": "GeoIP2-City", "description": "...", "networks": [ { "network": "81.2.69.0/24",
# "data": { "country": { "iso_code": "GB", ... } } } ] } with GeoIP2's field names; value types follow GeoIP2's.
use strict;
use warnings;
use JSON::PP;
use MaxMind::DB::Writer::Tree;

my ($in, $out) = @ARGV;
die "usage: $0 <description.json> <output.mmdb>\n" unless defined $out;

my %types = (
    city => 'map', continent => 'map', country => 'map', registered_country => 'map', location => 'map',
    names => 'map', subdivisions => [ 'array', 'map' ], code => 'utf8_string', de => 'utf8_string',
    en => 'utf8_string', geoname_id => 'uint32', iso_code => 'utf8_string', latitude => 'double',
    longitude => 'double', accuracy_radius => 'uint16', time_zone => 'utf8_string',
    autonomous_system_number => 'uint32', autonomous_system_organization => 'utf8_string',
);

open my $fh, '<:raw', $in or die "cannot read $in: $!\n";
my $spec = JSON::PP->new->utf8->decode(do { local $/; <$fh> });
close $fh;

my $tree = MaxMind::DB::Writer::Tree->new(
    ip_version               => 6,
    record_size              => 28,
    database_type            => $spec->{database_type},
    languages                => [ 'en', 'de' ],
    description              => { en => $spec->{description} },
    alias_ipv6_to_ipv4       => 1,
    remove_reserved_networks => 0,
    map_key_type_callback    => sub { $types{ $_[0] } // die "no GeoIP2 type known for key '$_[0]'\n" },
);
$tree->insert_network($_->{network}, $_->{data}) for @{ $spec->{networks} };

open my $outfh, '>:raw', $out or die "cannot write $out: $!\n";
$tree->write_tree($outfh);
close $outfh or die "cannot close $out: $!\n";
